"""How well the question coach labels questions it was not trained on, beside two baselines
measured in the same run.

    .venv/bin/python bench/coach_quality.py [--data ../shared/data/questions] [--folds 5]

Open vs closed: AnnoMI's development questions, cross-validated with whole transcripts held out
(the coach is retrained on the other folds each time, as `python -m revans.coach.train` trains
it). Baselines: "a question starting with a wh-word is open", and TF-IDF + logistic regression on
the same folds. Advice: AnnoMI questions coded as advice, and Reddit advice sentences phrased as
questions. Yes/no: the auxiliary-led questions among them.
"""

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

from revans.coach import engine
from revans.coach.train import examples, fit

WH = re.compile(r"^(what|how|why|who|where|when|which|whose|whom)\b")


def f1(gold: list[int], pred: list[int], positive: int) -> float:
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == positive)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if p == positive != g)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == positive != p)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro(gold, pred) -> float:
    return (f1(gold, pred, 1) + f1(gold, pred, 0)) / 2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "data" / "questions",
    )
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    rows = [r for r in examples(args.data) if r[3] != "own"]
    own = [r for r in examples(args.data) if r[3] == "own"]
    questions = [q for q, _, _, _ in rows]
    gold = [y for _, y, _, _ in rows]
    groups = [g for _, _, _, g in rows]
    coach, tfidf = [0] * len(rows), [0] * len(rows)
    for train, test in GroupKFold(n_splits=args.folds).split(questions, gold, groups):
        model = fit([rows[i] for i in train] + own)
        bias, weights = model["bias"], model["weights"]
        engine._model = lambda b=bias, w=weights: (b, w)  # the fold's weights, not the shipped ones
        for i in test:
            coach[i] = int(engine.classify(questions[i] + "?").open_score >= 0.5)
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
        x = vectorizer.fit_transform([questions[i] for i in train])
        baseline = LogisticRegression(max_iter=2000).fit(x, [gold[i] for i in train])
        for i, label in zip(
            test, baseline.predict(vectorizer.transform([questions[i] for i in test])), strict=True
        ):
            tfidf[i] = int(label)
    wh = [int(bool(WH.match(q))) for q in questions]
    yes_no = [i for i, q in enumerate(questions) if engine._starts(q, engine.AUXILIARIES)]

    advice_gold, advice_pred = [], []
    with open(args.data / "annomi_dev.csv", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if row["question"] != "none":
                advice_gold.append(int(row["input"] == "advice"))
                advice_pred.append(int(engine.classify(row["text"]).label == "advice"))
    for name in ("advice_askparents_dev.tsv", "advice_needadvice_dev.tsv"):
        with open(args.data / name, encoding="utf-8") as source:
            for row in csv.DictReader(source, delimiter="\t"):
                if row["Sentence"].strip().endswith("?"):
                    advice_gold.append(int(row["Majority_label"] == "1"))
                    advice_pred.append(int(engine.classify(row["Sentence"]).label == "advice"))
    tp = sum(1 for g, p in zip(advice_gold, advice_pred, strict=True) if g == p == 1)
    precision = tp / max(1, sum(advice_pred))
    recall = tp / max(1, sum(advice_gold))

    texts = [q + "?" for q in questions] * 5
    start = time.perf_counter()
    engine.classify_many(texts)
    rate = len(texts) / (time.perf_counter() - start)

    result = {
        "questions": len(rows),
        "open_closed_macro_f1": round(macro(gold, coach), 3),
        "baseline_wh_macro_f1": round(macro(gold, wh), 3),
        "baseline_tfidf_lr_macro_f1": round(macro(gold, tfidf), 3),
        "yes_no_closed": round(sum(1 for i in yes_no if coach[i] == 0) / max(1, len(yes_no)), 3),
        "advice_questions": sum(advice_gold),
        "advice_precision": round(precision, 3),
        "advice_recall": round(recall, 3),
        "advice_f1": round(f1(advice_gold, advice_pred, 1), 3),
        "questions_per_second": round(rate),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())

"""How well the question coach labels questions it was not trained on, beside two baselines
measured in the same run.

    .venv/bin/python bench/coach_quality.py [--data ../shared/data/questions] [--folds 5]

Open vs closed: AnnoMI's development questions, cross-validated with whole transcripts held out
(the coach is retrained on the other folds each time, as `python -m revans.coach.train` trains
it). Baselines: "a question starting with a wh-word is open", and TF-IDF + logistic regression on
the same folds. Advice: AnnoMI questions coded as advice, and Reddit advice sentences phrased as
questions. Yes/no: the auxiliary-led questions among them. Whole turns: AnnoMI utterances that
hold a question, advice when AnnoMI codes the utterance advice (its ``input`` column), and our
held-out set turns (statements, then a question).
"""

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

from revans.coach import engine
from revans.coach.train import OPEN_C, examples, fit, own_questions
from revans.coach.train import train as train_models

HOLDOUT = Path(__file__).resolve().parent / "data" / "set_questions_holdout.tsv"
TURNS_HOLDOUT = Path(__file__).resolve().parent / "data" / "set_turns_holdout.tsv"
TURNS_DEV = Path(engine.__file__).resolve().parent / "data" / "set_turns.tsv"
WH = re.compile(r"^(what|how|why|who|where|when|which|whose|whom)\b")


def f1(gold: list[int], pred: list[int], positive: int) -> float:
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == positive)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if p == positive != g)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == positive != p)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro(gold, pred) -> float:
    return (f1(gold, pred, 1) + f1(gold, pred, 0)) / 2


def scores(prefix: str, gold: list[str], pred: list[str]) -> dict[str, float]:
    """Macro-F1 over the labels the gold data uses (all five for the question sets) and accuracy,
    open-vs-closed macro-F1 among the questions labelled open or closed, and F1 for advice and
    leading."""
    both = [i for i, label in enumerate(gold) if label in ("open", "closed")]
    found = {
        f"{prefix}_macro_f1": macro_labels(gold, pred, [x for x in engine.LABELS if x in gold]),
        f"{prefix}_accuracy": sum(map(str.__eq__, gold, pred)) / len(gold),
        f"{prefix}_open_closed_macro_f1": macro(
            [int(gold[i] == "open") for i in both], [int(pred[i] == "open") for i in both]
        ),
    }
    for label in ("advice", "leading"):
        found[f"{prefix}_{label}_f1"] = f1(
            [int(g == label) for g in gold], [int(p == label) for p in pred], 1
        )
    return {name: round(value, 3) for name, value in found.items()}


def macro_labels(gold: list[str], pred: list[str], labels: list[str] | None = None) -> float:
    labels = list(engine.LABELS) if labels is None else labels
    return sum(f1(gold, pred, label) for label in labels) / len(labels)


def turn_scores(data_dir: Path) -> dict[str, float | int]:
    """Whole turns. AnnoMI: the utterances coded with a question, advice when the utterance is
    coded advice (``input``), whatever its question; how often the coach says advice, and how
    often it calls a reflection followed by a question (coded neither advice nor anything else
    in ``input``) advice or leading. Ours: held-out set turns, and the development turns the
    whole-turn rules were written from."""
    gold, pred, reflections, flagged = [], [], 0, 0
    with open(data_dir / "annomi_dev.csv", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if row["question"] == "none":
                continue
            label = engine.classify(row["text"]).label
            gold.append(int(row["input"] == "advice"))
            pred.append(int(label == "advice"))
            if row["reflection"] != "none" and row["input"] == "none":
                reflections += 1
                flagged += label in ("advice", "leading")
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == 1)
    found: dict[str, float | int] = {
        "annomi_turns": len(gold),
        "annomi_turn_advice": sum(gold),
        "annomi_turn_advice_precision": round(tp / max(1, sum(pred)), 3),
        "annomi_turn_advice_recall": round(tp / max(1, sum(gold)), 3),
        "annomi_turn_advice_f1": round(f1(gold, pred, 1), 3),
        "annomi_reflections_with_question": reflections,
        "annomi_reflections_flagged": round(flagged / max(1, reflections), 3),
    }
    for prefix, path in (("turns_holdout", TURNS_HOLDOUT), ("turns_dev", TURNS_DEV)):
        if path.exists():
            turns = own_questions(path)
            found[f"{prefix}_turns"] = len(turns)
            labels = [v.label for v in engine.classify_many([text for _, text in turns])]
            found.update(scores(prefix, [label for label, _ in turns], labels))
    return found


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
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    rows = [r for r in examples(args.data, own=[])]
    shipped = engine._model()
    questions = [q for q, _, _, _ in rows]
    with open(args.data / "annomi_dev.csv", encoding="utf-8") as source:
        texts = [r["text"] for r in csv.DictReader(source) if r["question"] in ("open", "closed")]
    gold = [y for _, y, _, _ in rows]
    groups = [g for _, _, _, g in rows]
    coach, tfidf = [0] * len(rows), [0] * len(rows)
    for train, test in GroupKFold(n_splits=args.folds).split(questions, gold, groups):
        fold = {
            **shipped,
            "open": fit([rows[i] for i in train] + examples(args.data, set()), c=OPEN_C),
        }
        engine._model = lambda fold=fold: fold  # the fold's weights, not the shipped ones
        for i in test:
            coach[i] = int(engine.classify(texts[i]).open_score >= 0.5)
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
        x = vectorizer.fit_transform([questions[i] for i in train])
        baseline = LogisticRegression(max_iter=2000).fit(x, [gold[i] for i in train])
        for i, label in zip(
            test, baseline.predict(vectorizer.transform([questions[i] for i in test])), strict=True
        ):
            tfidf[i] = int(label)
    wh = [int(bool(WH.match(q))) for q in questions]
    yes_no = [i for i, q in enumerate(questions) if engine._yes_no(q)]

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

    # Our own action learning questions, all five labels, in stratified folds: the models are
    # retrained without the held-out fold each time; the baseline is TF-IDF + logistic regression.
    own = own_questions()
    own_gold = [label for label, _ in own]
    own_pred, own_tfidf = [""] * len(own), [""] * len(own)
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=0)
    for train, test in folds.split(own, own_gold):
        fold = train_models(args.data, [own[i] for i in train])
        engine._model = lambda fold=fold: fold
        for i in test:
            own_pred[i] = engine.classify(own[i][1]).label
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        x = vectorizer.fit_transform([own[i][1] for i in train])
        baseline = LogisticRegression(max_iter=2000).fit(x, [own_gold[i] for i in train])
        for i, label in zip(
            test, baseline.predict(vectorizer.transform([own[i][1] for i in test])), strict=True
        ):
            own_tfidf[i] = label
    engine._model = lambda: shipped

    # Held out: questions written apart from the coach and never used to build it, scored with
    # the shipped model; the baseline learns from all our set questions.
    holdout = own_questions(HOLDOUT)
    holdout_gold = [label for label, _ in holdout]
    holdout_pred = [v.label for v in engine.classify_many([text for _, text in holdout])]
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    baseline = LogisticRegression(max_iter=2000).fit(
        vectorizer.fit_transform([text for _, text in own]), own_gold
    )
    holdout_tfidf = list(baseline.predict(vectorizer.transform([text for _, text in holdout])))
    closed_or_open = [i for i, label in enumerate(own_gold) if label in ("open", "closed")]

    batch = texts * 5
    start = time.perf_counter()
    engine.classify_many(batch)
    rate = len(batch) / (time.perf_counter() - start)

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
        "set_questions": len(own),
        "set_macro_f1": round(macro_labels(own_gold, own_pred), 3),
        "set_baseline_tfidf_lr_macro_f1": round(macro_labels(own_gold, own_tfidf), 3),
        "set_accuracy": round(sum(map(str.__eq__, own_gold, own_pred)) / len(own), 3),
        "set_open_closed_macro_f1": round(
            macro(
                [int(own_gold[i] == "open") for i in closed_or_open],
                [int(own_pred[i] == "open") for i in closed_or_open],
            ),
            3,
        ),
        "set_advice_f1": round(
            f1([int(g == "advice") for g in own_gold], [int(p == "advice") for p in own_pred], 1), 3
        ),
        "set_leading_f1": round(
            f1([int(g == "leading") for g in own_gold], [int(p == "leading") for p in own_pred], 1),
            3,
        ),
        "holdout_questions": len(holdout),
        **scores("holdout", holdout_gold, holdout_pred),
        "holdout_baseline_tfidf_lr_macro_f1": round(macro_labels(holdout_gold, holdout_tfidf), 3),
        **turn_scores(args.data),
        "questions_per_second": round(rate),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())

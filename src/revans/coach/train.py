"""Trains the coach's open-vs-closed weights and writes ``model.json`` beside this file.

    python -m revans.coach.train [--data ../shared/data/questions]

From the questions coded open or closed in AnnoMI (the development set described in that
folder's README) and the set questions kept in ``data/set_questions.tsv``. Needs scikit-learn,
which only training needs: the shipped model is a dictionary of weights.
"""

import argparse
import csv
import json
from pathlib import Path

from .engine import MODEL, _last_question, _normalise, rule_names
from .features import features

HERE = Path(__file__).resolve().parent
OWN = HERE / "data" / "set_questions.tsv"
OWN_WEIGHT = 3.0  # our own questions are few but exactly the kind asked in sets


def question_of(text: str) -> str:
    return _normalise(_last_question(text)[0])


def examples(
    data_dir: Path, transcripts: set[str] | None = None
) -> list[tuple[str, int, float, str]]:
    """(question, 1 if open, weight, group) for every labelled open or closed question."""
    found = []
    with open(data_dir / "annomi_dev.csv", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if row["question"] in ("open", "closed") and (
                transcripts is None or row["transcript_id"] in transcripts
            ):
                found.append(
                    (
                        question_of(row["text"]),
                        int(row["question"] == "open"),
                        1.0,
                        row["transcript_id"],
                    )
                )
    with open(OWN, encoding="utf-8") as source:
        for row in csv.DictReader(source, delimiter="\t"):
            if row["label"] in ("open", "closed"):
                found.append(
                    (question_of(row["text"]), int(row["label"] == "open"), OWN_WEIGHT, "own")
                )
    return found


def fit(rows: list[tuple[str, int, float, str]], c: float = 0.5) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([features(q, rule_names(q)) for q, _, _, _ in rows])
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, [y for _, y, _, _ in rows], sample_weight=[w for _, _, w, _ in rows])
    weights = {
        name: round(float(weight), 4)
        for name, weight in zip(vectorizer.feature_names_, model.coef_[0], strict=True)
        if abs(weight) >= 0.01
    }
    return {"bias": round(float(model.intercept_[0]), 4), "weights": weights}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data", type=Path, default=HERE.parents[3] / "shared" / "data" / "questions"
    )
    args = parser.parse_args()
    rows = examples(args.data)
    trained = fit(rows)
    MODEL.write_text(json.dumps(trained, sort_keys=True, indent=0) + "\n")
    print(f"{len(rows)} questions, {len(trained['weights'])} weights -> {MODEL}")


if __name__ == "__main__":
    main()

"""Trains the coach's two learned models and writes ``model.json`` beside this file.

    python -m revans.coach.train [--data ../shared/data/questions]

- ``open``: open vs closed, from the questions coded open or closed in AnnoMI (the development
  set described in that folder's README) and the set questions in ``data/set_questions.tsv``.
- ``advice``: a suggestion phrased as a question, from the questions among the Reddit advice
  sentences (the ``*_train.tsv`` files) and the set questions.

Needs scikit-learn, which only training needs: the shipped model is two dictionaries of weights.
"""

import argparse
import csv
import json
from pathlib import Path

from .engine import MODEL, LearnedModel, _last_question, _normalise, _tidy, rule_names
from .features import features

HERE = Path(__file__).resolve().parent
OWN = HERE / "data" / "set_questions.tsv"
OWN_WEIGHT = 3.0  # our own questions are few but exactly the kind asked in sets
ADVICE_THRESHOLD = 0.5
OPEN_C = 0.1  # stronger regularisation: the open/closed labels are noisy (README: 77% agreement)
Row = tuple[str, int, float, str]  # (normalised question, 1 or 0, weight, group)


def question_of(text: str) -> str:
    return _normalise(_last_question(_tidy(text))[0])


def own_questions(path: Path = OWN) -> list[tuple[str, str]]:
    """(label, text) for every set question kept in the repository."""
    with open(path, encoding="utf-8") as source:
        return [(row["label"], row["text"]) for row in csv.DictReader(source, delimiter="\t")]


def examples(
    data_dir: Path, transcripts: set[str] | None = None, own: list[tuple[str, str]] | None = None
) -> list[Row]:
    """Open (1) or closed (0) for every labelled open or closed question."""
    found = []
    with open(data_dir / "annomi_dev.csv", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if row["question"] in ("open", "closed") and (
                transcripts is None or row["transcript_id"] in transcripts
            ):
                label = int(row["question"] == "open")
                found.append((question_of(row["text"]), label, 1.0, row["transcript_id"]))
    for kind, text in own_questions() if own is None else own:
        if kind in ("open", "closed"):
            found.append((question_of(text), int(kind == "open"), OWN_WEIGHT, "own"))
    return found


def advice_examples(data_dir: Path, own: list[tuple[str, str]] | None = None) -> list[Row]:
    """Advice (1) or not (0) for the questions among the Reddit training sentences and for the
    set questions (statements left out: the coach never asks the model about them)."""
    found = []
    for path in sorted(data_dir.glob("advice_*_train.tsv")):
        with open(path, encoding="utf-8") as source:
            for row in csv.DictReader(source, delimiter="\t"):
                if _tidy(row["Sentence"]).strip().endswith("?"):
                    label = int(row["Majority_label"] == "1")
                    found.append((question_of(row["Sentence"]), label, 1.0, path.stem))
    for kind, text in own_questions() if own is None else own:
        if kind != "statement":
            found.append((question_of(text), int(kind == "advice"), OWN_WEIGHT, "own"))
    return found


def fit(rows: list[Row], c: float = 0.3) -> LearnedModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([features(q, rule_names(q)) for q, _, _, _ in rows])
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    model.fit(x, [y for _, y, _, _ in rows], sample_weight=[w for _, _, w, _ in rows])
    weights = {
        name: round(float(weight), 4)
        for name, weight in zip(vectorizer.feature_names_, model.coef_[0], strict=True)
        if abs(weight) >= 0.01
    }
    return {"bias": round(float(model.intercept_[0]), 4), "weights": weights}


def train(
    data_dir: Path, own: list[tuple[str, str]] | None = None, transcripts: set[str] | None = None
) -> dict[str, LearnedModel]:
    advice = fit(advice_examples(data_dir, own))
    advice["threshold"] = ADVICE_THRESHOLD
    return {"open": fit(examples(data_dir, transcripts, own), c=OPEN_C), "advice": advice}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data", type=Path, default=HERE.parents[3] / "shared" / "data" / "questions"
    )
    args = parser.parse_args()
    trained = train(args.data)
    MODEL.write_text(json.dumps(trained, sort_keys=True, indent=0) + "\n")
    sizes = {kind: len(model["weights"]) for kind, model in trained.items()}
    print(f"weights {sizes} -> {MODEL}")


if __name__ == "__main__":
    main()

"""Precision and recall of discovery's naming on the labelled merchant corpora.

    python tests/data/merchants/measure.py          # both files, with every mistake

Each line of a corpus is a merchant string or app name as exports write it, the amount
on that row (card rows), where it was seen (card, sso, oauth) and its label: the
catalog product it is, or `-` when it is not a marketing tool the catalog names (see
README.md for the labelling rules). A prediction is the product discovery's catalog
names for the string (a bare descriptor such as LINKEDIN-1234 settled by the amount);
anything else predicts `-`.

precision = right products / strings named as a product;
recall    = right products / strings labelled with a product.
A wrong product counts against both.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from martechgov.discover.catalog import Ambiguous, CatalogTool, catalog
from martechgov.discover.names import normalise

HERE = Path(__file__).resolve().parent
CORPORA = ("corpus.csv", "holdout.csv")


@dataclass
class Score:
    strings: int = 0
    labelled: int = 0  # strings whose label is a product
    named: int = 0  # strings predicted as a product
    right: int = 0
    mistakes: list[tuple[str, str, str]] = field(default_factory=list)  # text, label, got

    @property
    def precision(self) -> float:
        return self.right / self.named if self.named else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.labelled if self.labelled else 1.0


def predict(text: str, amount: str, source: str) -> str:
    entry = catalog().identify(normalise(text), app=source != "card")
    if isinstance(entry, Ambiguous):
        entry = entry.product(Decimal(amount) if amount else None)
    return entry.name if isinstance(entry, CatalogTool) else "-"


def measure(path: Path) -> Score:
    score = Score()
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            label, got = row["label"], predict(row["text"], row["amount"], row["source"])
            score.strings += 1
            score.labelled += label != "-"
            score.named += got != "-"
            score.right += label != "-" and got == label
            if got != label:
                score.mistakes.append((row["text"], label, got))
    return score


def main() -> int:
    for name in CORPORA:
        score = measure(HERE / name)
        print(f"{name}: {score.strings} strings, {score.labelled} labelled with a product: "
              f"precision {score.precision:.1%} ({score.right}/{score.named}), "
              f"recall {score.recall:.1%} ({score.right}/{score.labelled})")
        for text, label, got in score.mistakes:
            print(f"  {text!r}: labelled {label!r}, named {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The guided interview of an online application: a small tree of questions per dispute type,
where each answer names the next question (``None``: the interview is over).

Kept as data so that a bureau's staff could review it and a test can walk it: every ``next``
names a question of the same tree, every tree ends, and every type code is a dispute type.
A type without its own tree gets ``GENERIC``. The answers are kept with the application as
``[question, answer]`` pairs in the words shown that day.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Option:
    value: str
    label: str | Promise
    next: str | None


@dataclass(frozen=True)
class Question:
    id: str
    text: str | Promise
    options: tuple[Option, ...] = ()
    # A free-text question: where it leads (options carry their own ``next``).
    next: str | None = None
    hint: str | Promise = ""

    @property
    def is_choice(self) -> bool:
        return bool(self.options)


@dataclass(frozen=True)
class Tree:
    start: str
    questions: dict[str, Question] = field(default_factory=dict)

    def question(self, qid: str) -> Question | None:
        return self.questions.get(qid)


def _tree(*questions: Question) -> Tree:
    return Tree(start=questions[0].id, questions={q.id: q for q in questions})


YES_NO_END = (Option("yes", _("Yes"), None), Option("no", _("No"), None))

TALKED = Question(
    "talked",
    _("Have you tried to settle it with the other side yourselves?"),
    YES_NO_END,
)

GENERIC = _tree(
    Question(
        "what",
        _("What happened? Tell it in a few sentences."),
        next="wish",
        hint=_("When and where it happened, and who was involved."),
    ),
    Question("wish", _("What would you like the other side to do?"), next="talked"),
    TALKED,
)

TREES: dict[str, Tree] = {
    "neighbours": _tree(
        Question(
            "about",
            _("What is the dispute with your neighbour about?"),
            (
                Option("noise", _("Noise"), "when"),
                Option("leak", _("Water leaking"), "repaired"),
                Option("passage", _("A shared passage, wall or boundary"), "talked"),
                Option("other", _("Something else"), "what"),
            ),
        ),
        Question("when", _("At what times does the noise happen?"), next="talked"),
        Question(
            "repaired",
            _("Has the leak been repaired?"),
            (Option("yes", _("Yes"), "loss"), Option("no", _("No"), "loss")),
        ),
        Question(
            "loss",
            _("Roughly how much is the damage, in yuan?"),
            next="talked",
            hint=_("An estimate is enough; write 0 if you do not know."),
        ),
        Question("what", _("What happened? Tell it in a few sentences."), next="talked"),
        TALKED,
    ),
    "unpaid_wages": _tree(
        Question(
            "contract",
            _("Did you sign a labour contract?"),
            (Option("yes", _("Yes"), "months"), Option("no", _("No"), "proof")),
        ),
        Question(
            "proof",
            _("Can you show that you worked there (pay slips, attendance, chat messages)?"),
            (Option("yes", _("Yes"), "months"), Option("no", _("No"), "months")),
        ),
        Question("months", _("For how many months are wages owed?"), next="amount"),
        Question("amount", _("How much is owed in total, in yuan?"), next="talked"),
        TALKED,
    ),
    "marriage_family": _tree(
        Question(
            "who",
            _("Who is the dispute with?"),
            (
                Option("spouse", _("My spouse"), "children"),
                Option("parents", _("My parents or my children"), "support"),
                Option("relatives", _("Other relatives"), "wish"),
            ),
        ),
        Question(
            "children",
            _("Are there children under 18?"),
            (Option("yes", _("Yes"), "wish"), Option("no", _("No"), "wish")),
        ),
        Question(
            "support",
            _("Is it about support or maintenance payments?"),
            (Option("yes", _("Yes"), "wish"), Option("no", _("No"), "wish")),
        ),
        Question("wish", _("What would you like the other side to do?"), next="talked"),
        TALKED,
    ),
    "property_management": _tree(
        Question(
            "side",
            _("Are you an owner or the property management company?"),
            (
                Option("owner", _("An owner or tenant"), "about"),
                Option("company", _("The property management company"), "about"),
            ),
        ),
        Question(
            "about",
            _("What is it about?"),
            (
                Option("fees", _("Property fees"), "amount"),
                Option("repairs", _("Repairs or services"), "wish"),
                Option("parking", _("Parking"), "wish"),
            ),
        ),
        Question("amount", _("How much is in dispute, in yuan?"), next="wish"),
        Question("wish", _("What would you like the other side to do?"), next="talked"),
        TALKED,
    ),
}


def tree_for(type_code: str) -> Tree:
    return TREES.get(type_code, GENERIC)


def next_question(tree: Tree, answered: list[dict[str, str]]) -> Question | None:
    """The question after the answers given so far (``None``: the interview is over). The
    path is walked again from the start, so a changed earlier answer changes what follows."""
    question = tree.question(tree.start)
    given = {entry["id"]: entry["value"] for entry in answered}
    while question is not None and question.id in given:
        value = given[question.id]
        if question.is_choice:
            chosen = next((o for o in question.options if o.value == value), None)
            if chosen is None:
                return question
            following = chosen.next
        else:
            following = question.next
        question = tree.question(following) if following else None
    return question


def answer_label(question: Question, value: str) -> str:
    if question.is_choice:
        return next((str(o.label) for o in question.options if o.value == value), value)
    return value


def path_of(tree: Tree, answered: list[dict[str, str]]) -> list[dict[str, str]]:
    """The answers on the current path only (an answer to a question left behind by a
    changed choice is dropped)."""
    kept: list[dict[str, str]] = []
    given = {entry["id"]: entry["value"] for entry in answered}
    question = tree.question(tree.start)
    while question is not None and question.id in given:
        value = given[question.id]
        kept.append({"id": question.id, "value": value})
        if question.is_choice:
            chosen = next((o for o in question.options if o.value == value), None)
            following = chosen.next if chosen else None
        else:
            following = question.next
        question = tree.question(following) if following else None
    return kept


def transcript(tree: Tree, answered: list[dict[str, str]]) -> list[list[str]]:
    """``[[question, answer], …]`` in the words of the day, for the application and the case's
    narrative."""
    rows: list[list[str]] = []
    for entry in path_of(tree, answered):
        question = tree.questions[entry["id"]]
        rows.append([str(question.text), answer_label(question, entry["value"])])
    return rows

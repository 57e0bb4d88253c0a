""" "Before filing" (申请前指引): plain-language guidance per dispute type, as data.

Each statement names where it comes from (the People's Mediation Law and the Ministry's rules
as ../shared/domain.md quotes them, or the plain text of a national statute); docs/public.md
lists the sources. Where a rule varies by place or we were unsure, the text says less and sends
the citizen to 12348 and the committee rather than guess. Keys are dispute-type codes of the
dictionary (``cases.DisputeType``); the page takes the type's name from the dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Text = str | Promise


@dataclass(frozen=True)
class Guidance:
    """What people's mediation can and cannot do for one kind of dispute, what to bring, the
    other routes and the time limits particular to it (the common ones are in ``COMMON``)."""

    code: str
    can: tuple[Text, ...]
    cannot: tuple[Text, ...]
    evidence: tuple[Text, ...]
    routes: tuple[Text, ...]
    limits: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Situation:
    """One answer to "what happened?", in everyday words, leading to a dispute type."""

    code: str
    label: Text


# What holds for every dispute (People's Mediation Law, arts. 3, 4, 17, 26, 29, 31–33; the
# Ministry's rules no. 75 on what a committee does not accept; Civil Code art. 188).
FREE = _(
    "People's mediation is free: the committee charges nothing (People's Mediation Law, art. 4)."
)
VOLUNTARY = _(
    "It is voluntary: if the other side clearly refuses, there is no mediation. Applying does "
    "not stop you from going to arbitration, an administrative body or a court (arts. 3 and 17)."
)
NOT_ACCEPTED = _(
    "A committee does not take matters the law gives to other bodies or forbids mediating, nor "
    "disputes a court, the police or another authority has already accepted or decided."
)
FAILED = _(
    "If mediation fails, the committee ends it and tells you the other routes: arbitration, an "
    "administrative body or the court (art. 26)."
)
AGREEMENT_EFFECT = _(
    "An agreement takes effect once every party has signed it (or sealed it, or pressed a "
    "fingerprint), the mediator has signed it and the committee has sealed it. It binds the "
    "parties, and the committee follows up on its performance (arts. 29 and 31)."
)
CONFIRMATION = _(
    "Within 30 days of the agreement taking effect, both parties together may ask the court "
    "to confirm it. Once the court confirms it, if one side does not perform, the other can "
    "ask the court to enforce it (art. 33)."
)
AGREEMENT_DISPUTE = _(
    "If you later disagree about performing the agreement or about what it says, either side "
    "can take it to court (art. 32)."
)
LIMITATION = _(
    "Do not let mediation make you miss a time limit. Going to court to protect a civil right "
    "generally has a limit of three years from when you knew or should have known of the harm "
    "and who is liable (Civil Code, art. 188). If time is short, ask 12348 or the committee "
    "first."
)
HOTLINE = _(
    "Not sure? Call 12348, the public legal service hotline, or ask the people's mediation "
    "committee near you."
)
DANGER = _("If you are in danger or facing violence, call 110 first.")

COMMON_CAN = (FREE, VOLUNTARY)
COMMON_CANNOT = (NOT_ACCEPTED,)
COMMON_AGREEMENT = (AGREEMENT_EFFECT, CONFIRMATION, AGREEMENT_DISPUTE, FAILED)

COURT = _("The court: you can sue if mediation fails or the other side will not take part.")

LABOUR = Guidance(
    code="labour",
    can=(
        _(
            "Disputes with an employer over pay, overtime, social insurance, dismissal or "
            "compensation. A lawfully established basic-level people's mediation organisation "
            "may mediate labour disputes (Labour Dispute Mediation and Arbitration Law, art. 10)."
        ),
        _(
            "If the employer does not perform the agreement in time, you may apply for labour "
            "arbitration (art. 15). For unpaid pay, medical costs of a work injury, economic "
            "compensation or damages, you may also take the agreement to the court and ask for "
            "a payment order (art. 16)."
        ),
    ),
    cannot=(
        _(
            "A labour dispute generally goes to labour arbitration first; only if you do not "
            "accept the award can you go to court (art. 5)."
        ),
    ),
    evidence=(
        _(
            "The labour contract, or anything showing you worked there: work badge, attendance "
            "records, pay slips, work chats"
        ),
        _("Bank records of the wages paid"),
        _("The dismissal notice or messages about it"),
        _("Social insurance records"),
    ),
    routes=(
        _("The labour and personnel dispute arbitration commission where you worked"),
        _("For unpaid wages, a complaint to the labour inspection office"),
        _("The 12333 human resources and social security hotline"),
    ),
    limits=(
        _(
            "Labour arbitration must be applied for within one year from when you knew or "
            "should have known your rights were infringed (art. 27)."
        ),
        _(
            "Unpaid pay while you still work there is not bound by that year; once the job has "
            "ended, apply within one year of its end (art. 27)."
        ),
    ),
)

GUIDES: dict[str, Guidance] = {
    "marriage_family": Guidance(
        code="marriage_family",
        can=(
            _(
                "Helping family members talk and agree: support of parents, children or a "
                "spouse, care of the elderly, dividing family property, visits to children, "
                "everyday quarrels between spouses."
            ),
        ),
        cannot=(
            _(
                "A mediation agreement cannot end a marriage: a divorce both want is registered "
                "at the marriage registry; otherwise the court decides (Civil Code, arts. 1076 "
                "and 1079)."
            ),
            _(
                "If you suffer domestic violence or face a real danger of it, you can ask the "
                "court for a personal safety protection order (Anti-Domestic Violence Law, art. "
                "23)."
            ),
        ),
        evidence=(
            _("Your ID card, the household register or the marriage certificate"),
            _(
                "Papers on the property, income or costs in dispute: deeds, bank statements, receipts"
            ),
            _("Messages, letters or photos showing what happened"),
        ),
        routes=(
            _("The marriage registry, for a divorce both agree on"),
            _("The court, for divorce, custody or support when you cannot agree"),
        ),
    ),
    "neighbours": Guidance(
        code="neighbours",
        can=(
            _(
                "Most disputes between neighbours: water leaking through a ceiling, noise, "
                "shared passages and drains, light and air, trees, animals, small damage."
            ),
        ),
        cannot=(
            _(
                "If someone was hurt or threatened, or it may turn into a fight, tell the police "
                "(110). The committee also reports such risks to the police (People's Mediation "
                "Law, art. 25)."
            ),
        ),
        evidence=(
            _("Photos or videos of the problem, with dates"),
            _("Repair quotes or receipts for the damage"),
            _("Names of neighbours or the property manager who saw it"),
            _("Earlier messages between you"),
        ),
        routes=(COURT,),
    ),
    "housing_homestead": Guidance(
        code="housing_homestead",
        can=(
            _(
                "Disputes over renting, sharing or using a house, building work that affects a "
                "neighbour, boundary walls and paths, sharing an inherited house."
            ),
        ),
        cannot=(
            _(
                "Who owns or may use a piece of land or a homestead is settled by agreement; "
                "failing that, by the people's government (Land Administration Law, art. 14). "
                "The committee can help you agree but cannot decide who owns it."
            ),
        ),
        evidence=(
            _("The property certificate, homestead certificate or permit to build"),
            _("The lease or other contract"),
            _("Photos, plans or measurements of the disputed place"),
            _("Receipts for rent or other payments"),
        ),
        routes=(
            _("The township or county government, for who owns or may use land"),
            COURT,
        ),
    ),
    "contract": Guidance(
        code="contract",
        can=(
            _(
                "Money lent between people and not repaid, buying and selling, work done and not "
                "paid for (or paid for and not done), deposits not returned."
            ),
        ),
        cannot=(
            _(
                "If you suspect fraud or another crime, report it to the police: mediation only "
                "deals with the civil side."
            ),
        ),
        evidence=(
            _("The contract, the IOU (借条) or the receipt"),
            _("Bank transfer or payment records"),
            _("Messages about the deal and the debt"),
            _("Delivery notes, photos of the goods or the work"),
        ),
        routes=(
            _("Arbitration, if your contract names an arbitration commission"),
            COURT,
        ),
    ),
    "damages": Guidance(
        code="damages",
        can=(
            _(
                "Compensation between people for minor injuries, damaged belongings, animal "
                "bites and similar harm."
            ),
        ),
        cannot=(
            _(
                "Whether someone committed a crime or is to be punished for breaching public "
                "order is for the police and the courts; mediation deals only with compensation."
            ),
        ),
        evidence=(
            _("Medical records, the diagnosis and the bills"),
            _("Photos of the injury or the damage, repair quotes"),
            _("The police's record, if the police came"),
            _("Proof of lost income (pay slips), if you claim it"),
        ),
        routes=(COURT,),
    ),
    "labour": LABOUR,
    # 欠薪 is counted under 劳动争议 in the dictionary: the same law and the same routes.
    "unpaid_wages": Guidance(
        code="unpaid_wages",
        can=LABOUR.can,
        cannot=LABOUR.cannot,
        evidence=LABOUR.evidence,
        routes=LABOUR.routes,
        limits=LABOUR.limits,
    ),
    "property_management": Guidance(
        code="property_management",
        can=(
            _(
                "Disputes between owners and the property management company over fees, "
                "repairs, leaks from shared parts, parking and the service given."
            ),
        ),
        cannot=(
            _(
                "Hiring or dismissing the property company is for the owners to decide together "
                "(Civil Code, art. 278); mediation cannot decide it for them."
            ),
        ),
        evidence=(
            _("The property service contract"),
            _("Fee notices and payment records"),
            _("Photos of the problem and the repair requests you made"),
            _("Notices posted in the estate"),
        ),
        routes=(_("The owners' committee"), COURT),
    ),
    "consumer": Guidance(
        code="consumer",
        can=(
            _(
                "Problems with goods or services you bought: quality, refunds and exchanges, "
                "repairs, prepaid cards."
            ),
        ),
        cannot=(),
        evidence=(
            _("The receipt, invoice or order record"),
            _("The goods, their packaging, photos of the defect"),
            _("Messages with the seller or customer service"),
            _("The warranty card or the prepaid card"),
        ),
        routes=(
            _(
                "By law you may negotiate, ask the consumers' association or another lawful "
                "mediation body to mediate, complain to the administrative authority, go to "
                "arbitration if you agreed on it with the seller, or sue (Consumer Rights "
                "Protection Law, art. 39)."
            ),
            _("Complaints: the 12315 hotline"),
        ),
    ),
    "medical": Guidance(
        code="medical",
        can=(
            _(
                "Disputes with a hospital or clinic about treatment, its outcome and "
                "compensation. Many places have a people's mediation committee for medical "
                "disputes."
            ),
        ),
        cannot=(
            _(
                "Whether the treatment was at fault may need an expert assessment; the committee "
                "does not replace it."
            ),
        ),
        evidence=(
            _(
                "Copies of your medical records: you have the right to read and copy them "
                "(Regulation on the Prevention and Handling of Medical Disputes, art. 16). Ask "
                "early."
            ),
            _("Bills and receipts"),
            _("The diagnosis, and any certificate of death or disability"),
            _("Notes of what the staff told you, and when"),
        ),
        routes=(
            _(
                "The law lists: negotiating, people's mediation, administrative mediation, a "
                "lawsuit, and other routes laws and regulations provide (same regulation, "
                "art. 22)."
            ),
        ),
    ),
    "traffic": Guidance(
        code="traffic",
        can=(
            _(
                "Compensation after a road accident: medical costs, lost income, damage to "
                "vehicles. Many places have a people's mediation committee for road accidents, "
                "often at the traffic police."
            ),
        ),
        cannot=(
            _(
                "Who was responsible for the accident is set out by the traffic police in the "
                "accident determination; mediation starts from it and does not replace it."
            ),
        ),
        evidence=(
            _("The traffic accident determination (交通事故认定书)"),
            _("Driving licence, vehicle licence and insurance policies"),
            _("Medical records and bills"),
            _("The repair estimate and proof of lost income"),
        ),
        routes=(
            _(
                "For compensation you may ask the traffic police to mediate, or sue directly "
                "(Road Traffic Safety Law, art. 74)."
            ),
            _("At the scene of an accident: call 122"),
        ),
    ),
    "other": Guidance(
        code="other",
        can=(
            _("Most everyday civil disputes between people, or between people and organisations."),
        ),
        cannot=(),
        evidence=(
            _("Your ID card"),
            _("Any contract, receipt or record of what was agreed"),
            _("Photos, videos and messages showing what happened"),
        ),
        routes=(COURT,),
    ),
}

# "What happened?": everyday words first, the dictionary's type behind each (shown in order).
SITUATIONS: tuple[Situation, ...] = (
    Situation(
        "marriage_family", _("In the family: spouses, children, care of parents, dividing property")
    ),
    Situation("neighbours", _("With a neighbour: leaks, noise, passages, trees")),
    Situation("housing_homestead", _("A house or a homestead: renting, building, boundaries")),
    Situation("contract", _("Money or a deal: a loan not repaid, buying and selling, a contract")),
    Situation("damages", _("Someone was hurt or something was damaged")),
    Situation("labour", _("At work: pay, dismissal, social insurance")),
    Situation(
        "property_management", _("In the housing estate: the property company, fees, repairs")
    ),
    Situation("consumer", _("Something I bought: quality, refunds, prepaid cards")),
    Situation("medical", _("At a hospital or clinic")),
    Situation("traffic", _("A road accident")),
    Situation("other", _("Something else")),
)


def guidance_for(code: str) -> Guidance | None:
    return GUIDES.get(code)


# The downloadable templates: name → (title, file name). The layouts follow the unified
# document formats (../shared/domain.md §2).
FORMS: dict[str, Text] = {
    "application": _("Application for people's mediation"),
    "evidence": _("List of evidence"),
    "agreement": _("People's mediation agreement (sample layout)"),
}
FILE_NAMES = {
    "application": "人民调解申请书.html",
    "evidence": "证据清单.html",
    "agreement": "人民调解协议书样式.html",
}

"""The models of a case, one module per concern."""

from tiaojie.cases.models.case import (
    Case,
    CaseMediator,
    CaseNumberCounter,
    CaseTransition,
    JointCommittee,
)
from tiaojie.cases.models.dispute_types import DisputeType
from tiaojie.cases.models.ledger import LedgerImport
from tiaojie.cases.models.parties import Party
from tiaojie.cases.models.records import (
    Agreement,
    AgreementSignature,
    Attachment,
    FollowUp,
    InvestigationRecord,
    JudicialConfirmation,
    MediationSession,
    PerformanceRecord,
)
from tiaojie.cases.models.search import SearchHolder, SearchPosting

__all__ = [
    "Agreement",
    "AgreementSignature",
    "Attachment",
    "Case",
    "CaseMediator",
    "CaseNumberCounter",
    "CaseTransition",
    "DisputeType",
    "FollowUp",
    "InvestigationRecord",
    "JointCommittee",
    "JudicialConfirmation",
    "LedgerImport",
    "MediationSession",
    "Party",
    "PerformanceRecord",
    "SearchHolder",
    "SearchPosting",
]

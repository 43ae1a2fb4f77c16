"""agreementCreate / agreementUpdate / agreementArchive / agreementRestore and the same for
supplementary agreements, declared (`schema.mutations.family`); both are archived by id or code."""

from __future__ import annotations

from datetime import date

from models.services.agreements import AGREEMENTS
from models.services.supplementary_agreements import SUPPLEMENTS
from schema.agreement_records import AGREEMENT_COLUMNS, SUPPLEMENT_COLUMNS, Agreement, SupplementaryAgreement
from schema.mutations.family import InputField, MutationFamily

SIGNED = "The day it was signed (체결일); null if not known."
AGREEMENT_FIELDS = (
    InputField(
        "code", str, "Agreement code (협약코드), unique, e.g. HANAM-GHOE-2025.", "New agreement code."
    ),
    InputField("title", str, "Title (협약명).", "New title."),
    InputField("parties", str, "Who signed it (협약 당사자).", "New parties.", default=""),
    InputField(
        "signed_on", date | None, SIGNED, "New signing day; null: not known.", default=None, nullable=True
    ),
    InputField("term_start", date, "First day of the term (협약 기간 시작).", "New first day."),
    InputField("term_end", date, "Last day of the term, not before its start.", "New last day."),
    InputField("note", str, "Free note (비고).", "New note.", default=""),
)
AGREEMENT_FAMILY = MutationFamily(
    AGREEMENTS,
    Agreement,
    AGREEMENT_COLUMNS,
    AGREEMENT_FIELDS,
    archive="Archive (soft-delete) an agreement; refused while it has live supplementary agreements.",
    by_code=True,
)
SUPPLEMENT_FIELDS = (
    InputField(
        "code",
        str,
        "Supplementary agreement code (실무협약코드), unique.",
        "New supplementary agreement code.",
    ),
    InputField(
        "agreement_code",
        str,
        "Code of the live agreement it belongs to (협약코드).",
        "Move under this agreement (its live allocations must lie within its term).",
    ),
    InputField("title", str, "Title (실무 협약명).", "New title."),
    InputField(
        "signed_on", date | None, SIGNED, "New signing day; null: not known.", default=None, nullable=True
    ),
    InputField("note", str, "Free note (비고).", "New note.", default=""),
)
SUPPLEMENT_FAMILY = MutationFamily(
    SUPPLEMENTS,
    SupplementaryAgreement,
    SUPPLEMENT_COLUMNS,
    SUPPLEMENT_FIELDS,
    archive="Archive (soft-delete) a supplementary agreement; refused while it has live allocations.",
    by_code=True,
)

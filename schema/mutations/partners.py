"""partnerCreate / partnerUpdate / partnerArchive / partnerRestore, declared (`schema.mutations.family`)."""

from __future__ import annotations

from models.enums import PartnerKind
from models.services.partners import PARTNERS
from schema.mutations.family import InputField, MutationFamily
from schema.partner_records import PARTNER_COLUMNS, Partner

PUBLIC = "the organisation's public one, never a person's"
# What refuses an archive, for the mutation's description.
ARCHIVE = "Archive (soft-delete) a partner; its program links stay and return with a restore."
FIELDS = (
    InputField("code", str, "Partner code (기관코드), unique.", "New partner code."),
    InputField("name", str, "Name of the organisation (기관명).", "New name."),
    InputField("kind", PartnerKind, "Kind of resource (유형).", "New kind."),
    InputField("district", str, "District (권역); blank outside Hanam.", "New district.", default=""),
    InputField("phone", str, f"Public phone ({PUBLIC}).", "New public phone.", default=""),
    InputField("email", str, f"Public e-mail ({PUBLIC}).", "New public e-mail.", default=""),
    InputField("homepage", str, "Homepage, http:// or https://.", "New homepage.", default=""),
)
FAMILY = MutationFamily(PARTNERS, Partner, PARTNER_COLUMNS, FIELDS, archive=ARCHIVE, by_code=True)

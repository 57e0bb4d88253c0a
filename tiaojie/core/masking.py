"""Masked forms of personal data, for pages and exports shown to someone who may not see it.

The rules (docs/decisions/0006), each on the value with surrounding spaces removed; an empty
value gives "":

- ID number: the first 3 and last 4 characters, an asterisk for each one between
  (``110***********1234``; a 15-digit number keeps 8 asterisks). A value too short to hide at
  least 8 characters that way is all asterisks. The length is kept.
- Phone: a mobile number keeps its first 3 and last 4 digits (``138****5678``); a landline
  keeps its area code and the last 4 digits of the local number (``027-****6666``), and an
  extension is hidden. Anything else keeps its last 4 characters if it has 8 or more, else
  nothing.
- Address: at most the first 6 characters, cut back to the end of the last administrative
  unit in them (a name ending in 省, 市, 区, 县, 旗, 州 or 盟), then ``****`` whatever the
  length, so the length of the rest does not show. ``湖北省武汉市武昌区中北路5号`` gives
  ``湖北省武汉市****``; ``武昌区中北路5号`` gives ``武昌区****``; an address with no unit in
  its first 6 characters gives ``****``.
- Name: the first character, an asterisk for each other one (``王**``); a one-character name
  is ``*``.
"""

from __future__ import annotations

import re
import unicodedata

from tiaojie.core.validators import AREA_CODE

MASK = "*"
ID_KEPT_START, ID_KEPT_END, ID_MIN_HIDDEN = 3, 4, 8
ADDRESS_KEPT_MAX = 6
ADDRESS_UNIT_ENDINGS = "省市区县旗州盟"
ADDRESS_MASK = "****"

MOBILE = re.compile(
    r"^(?P<prefix>(?:\+|00)?86-?)?(?P<head>1[0-9]{2})-?[0-9]{4}-?(?P<tail>[0-9]{4})$"
)
LANDLINE = re.compile(
    rf"^(?P<area>\(?{AREA_CODE}\)?)(?P<sep>-?)(?P<local>[0-9]{{7,8}})"
    r"(?:(?P<ext_sep>-|#|转|ext\.?)(?P<ext>[0-9]{1,6}))?$",
    re.IGNORECASE,
)


def mask_id_number(value: str) -> str:
    """``110105199003071234`` → ``110***********1234``."""
    value = value.strip()
    hidden = len(value) - ID_KEPT_START - ID_KEPT_END
    if hidden < ID_MIN_HIDDEN:
        return MASK * len(value)
    return value[:ID_KEPT_START] + MASK * hidden + value[-ID_KEPT_END:]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; ``027-88886666`` → ``027-****6666``."""
    # Full-width digits and hyphens to ASCII, inner spaces out: the patterns see one form.
    number = "".join(unicodedata.normalize("NFKC", value).split())
    if mobile := MOBILE.match(number):
        return f"{mobile['prefix'] or ''}{mobile['head']}{MASK * 4}{mobile['tail']}"
    if landline := LANDLINE.match(number):
        local = landline["local"]
        masked = landline["area"] + landline["sep"] + MASK * (len(local) - 4) + local[-4:]
        if landline["ext"]:
            masked += landline["ext_sep"] + MASK * len(landline["ext"])
        return masked
    if len(number) >= 8:
        return MASK * (len(number) - 4) + number[-4:]
    return MASK * len(number)


def mask_address(value: str) -> str:
    """``湖北省武汉市武昌区中北路5号3栋2单元101室`` → ``湖北省武汉市****``."""
    value = value.strip()
    if not value:
        return ""
    head = value[:ADDRESS_KEPT_MAX]
    # A unit needs a name before its ending: "市" alone at the start is not a city.
    cut = max(
        (i + 1 for i, char in enumerate(head) if char in ADDRESS_UNIT_ENDINGS and i), default=0
    )
    return head[:cut] + ADDRESS_MASK


def mask_name(value: str) -> str:
    """``王秀兰`` → ``王**``; ``王五`` → ``王*``."""
    value = value.strip()
    if len(value) <= 1:
        return MASK * len(value)
    return value[0] + MASK * (len(value) - 1)

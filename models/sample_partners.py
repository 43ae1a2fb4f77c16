"""Twenty more invented partners (교육자원) for the sample, after the first ten in `sample_data`.

SAMPLE DATA, invented outright and marked so like the first ten: every name ends in "(예시)";
`sample_data` gives them 031-000 phones and example.org addresses.
"""

from __future__ import annotations

from models.enums import PartnerKind, ProgramCategory

UNI, COM, VIL, INS, OTH = (
    PartnerKind.UNIVERSITY,
    PartnerKind.COMPANY,
    PartnerKind.VILLAGE,
    PartnerKind.INSTITUTION,
    PartnerKind.OTHER,
)
CT, CE, VE, GS, SS = (
    ProgramCategory.CAMPUS_TOUR,
    ProgramCategory.CORPORATE_EXPERIENCE,
    ProgramCategory.VILLAGE_EXPERIENCE_SCHOOL,
    ProgramCategory.SHARED_SCHOOL,
    ProgramCategory.SCHOOL_SPECIALIZATION,
)

# (code, name, kind, district, program category it serves, role there)
MORE_PARTNERS: list[tuple[str, str, PartnerKind, str, ProgramCategory, str]] = [
    ("EX-UNI-03", "미사강변예술대학(예시)", UNI, "", CT, "예술 전공 체험"),
    ("EX-UNI-04", "동부공과대학교(예시)", UNI, "", CT, "연구실 견학"),
    ("EX-UNI-05", "한빛간호대학(예시)", UNI, "", CT, "보건 진로 강의"),
    ("EX-UNI-06", "위례디지털대학교(예시)", UNI, "", CT, "코딩 캠프 운영"),
    ("EX-COM-04", "하남물류센터(예시)", COM, "신장", CE, "현장 견학"),
    ("EX-COM-05", "감일로보틱스(예시)", COM, "감일", CE, "로봇 체험"),
    ("EX-COM-06", "덕풍식품연구소(예시)", COM, "덕풍", CE, "직무 멘토링"),
    ("EX-COM-07", "미사게임스튜디오(예시)", COM, "미사", CE, "게임 개발 체험"),
    ("EX-COM-08", "위례에너지(예시)", COM, "위례", CE, "에너지 교실"),
    ("EX-VIL-03", "덕풍골목상점가(예시)", VIL, "덕풍", VE, "골목 경제 체험"),
    ("EX-VIL-04", "미사한강생태학교(예시)", VIL, "미사", VE, "생태 탐방 안내"),
    ("EX-VIL-05", "천현전통마을(예시)", VIL, "신장", VE, "전통 문화 체험"),
    ("EX-VIL-06", "위례텃밭공동체(예시)", VIL, "위례", VE, "도시 농업 체험"),
    ("EX-INS-03", "하남문화재단(예시)", INS, "신장", GS, "공연 강좌 운영"),
    ("EX-INS-04", "하남과학관(예시)", INS, "미사", GS, "과학 실험 강좌"),
    ("EX-INS-05", "감일청소년문화의집(예시)", INS, "감일", GS, "공간 제공"),
    ("EX-INS-06", "하남시체육회(예시)", INS, "덕풍", SS, "스포츠 강사 파견"),
    ("EX-INS-07", "위례복합문화센터(예시)", INS, "위례", GS, "강좌 공동 운영"),
    ("EX-OTH-02", "하남청년창업협동조합(예시)", OTH, "미사", GS, "창업 교실"),
    ("EX-OTH-03", "한강사진가모임(예시)", OTH, "", SS, "사진 강사 파견"),
]

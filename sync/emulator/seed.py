"""The sample spreadsheet for the offline demo (``eduhub emulator --seed sample``)."""

from __future__ import annotations

from .emulator import Emulator

SAMPLE_KEY = "1HanamEduHubSampleSpreadsheet000000000000000"

SAMPLE_TABS: dict[str, list[list[str]]] = {
    "학교": [["ID", "학교코드", "학교명", "학교급", "권역", "학생수"]],
    "사업": [["ID", "사업코드", "사업명", "유형", "학교코드", "연도", "상태", "설명"]],
    # The columns budget stages added come after 비고, where an office's existing sheet gets them.
    "예산": [
        [
            "ID",
            "사업코드",
            "연도",
            "재원",
            "배정액",
            "집행액",
            "비고",
            "단계",
            "교부액",
            "전년도 이월액",
            "이월액",
            "불용액",
            "예산현액",
        ]
    ],
    "교육자원": [["ID", "기관코드", "기관명", "유형", "권역", "대표전화", "대표이메일", "홈페이지"]],
    "운영 실적": [
        ["ID", "사업코드", "일자", "장소", "교육자원코드", "초등", "중등", "고등", "특수", "시간", "비고"]
    ],
    "요약": [["사업코드", "재원", "배정액", "집행액", "집행률", "마지막 동기화"]],
    "동기화 오류": [["탭", "행", "열", "값", "문제"]],
}


def sample(emulator: Emulator) -> None:
    """Create the empty sample spreadsheet (header rows only) under :data:`SAMPLE_KEY`.

    The demo's records live once in the database; the first sync writes them into these tabs.
    """
    if emulator.store.get(SAMPLE_KEY) is None:
        emulator.create_spreadsheet("하남 교육협력 현황", SAMPLE_TABS, key=SAMPLE_KEY)


SEEDS = {"sample": sample}

"""Labels in English and Korean (``?lang=ko``), and won amounts beside dollars.

English labels are the keys; a missing Korean label falls back to English.
"""

from __future__ import annotations

from collections.abc import Callable

LANGS = ("en", "ko")

KO: dict[str, str] = {
    "Overview": "개요", "Deal designer": "협상안 설계", "Tariff explorer": "관세 조회",
    "Negotiation map": "협상 지도", "Where the numbers come from": "수치의 출처", "API docs": "API 문서",
    "Verdict": "판정", "Better off than no deal": "협상 없음보다 유리", "Worse off than no deal": "협상 없음보다 불리",
    "better off": "유리", "worse off": "불리", "P(better off)": "유리할 확률",
    "Largest drivers": "주요 요인", "No adverse shock test": "외환 충격 없음 시험", "holds": "충족",
    "fails in": "불충족 연도", "Headline figures": "주요 수치", "Figure": "항목", "Unit": "단위",
    "Investor": "투자국", "Host": "수용국", "Payoff against no deal": "협상 없음 대비 순편익",
    "Outflow paid from reserves against capacity": "외환보유액 유출과 공급 여력",
    "reserve-funded outflow": "외환보유액 유출", "total outflow": "총 유출", "capacity": "공급 여력",
    "Other shipped scenarios": "기타 시나리오", "Compute verdict": "판정 계산",
    "Annual cash cap (USD bn a year)": "연간 현금 상한 (십억 달러)",
    "Years to commit the non-cash part": "비현금 부분 약정 기간 (년)",
    "Cash share of the pledge": "약정 중 현금 비중",
    "Guarantee share of the non-cash part": "비현금 중 보증 비중",
    "Company FDI share of the non-cash part": "비현금 중 기업 직접투자 비중",
    "Investor share of distributions before recoup": "회수 전 투자국 배분 비율",
    "Investor share of distributions after recoup": "회수 후 투자국 배분 비율",
    "Projects' cash yield (a year)": "사업 현금 수익률 (연)",
    "Exchange rate (KRW per USD)": "환율 (원/달러)",
    "Download YAML": "YAML 내려받기", "Share link": "공유 링크", "Reserves path": "외환보유액 경로",
    "Search HS code or description": "HS 코드 또는 품명 검색", "Partner": "상대국", "Date": "날짜",
    "Rate by authority": "권한별 세율", "Sources": "출처", "Effective tariff rate over time": "실효 관세율 추이",
    "Search parameters": "매개변수 검색", "History": "이력", "Value": "값", "From": "시작일", "Status": "상태",
    "Pledge": "약정액", "Cash (equity) pledge": "현금(지분) 약정",
    "Peak annual outflow from reserves": "연간 최대 외환보유액 유출",
    "Peak annual cash outflow": "연간 최대 현금 유출",
    "Years reserve outflow exceeds capacity": "유출이 공급 여력을 넘는 연수",
    "Investor NPV (horizon)": "투자국 순현재가치", "Deal NPV for the investor (vs no deal)": "투자국 협상 순편익",
    "Deal NPV for the host (vs no deal)": "수용국 협상 순편익", "Investor IRR (horizon)": "투자국 내부수익률",
    "Year investor recoups its cash (all tranches)": "투자국 현금 회수 연도", "Lowest reserves": "최저 외환보유액",
    "Tariff savings a year (mean over horizon)": "연간 관세 절감 (평균)",
    "Loading": "계산 중", "Frontier": "파레토 경계", "Zone of possible agreement": "합의 가능 영역",
    "Proposals": "제안", "Click a point to load it into the designer": "점을 누르면 설계 화면으로 옮겨집니다",
    "Look up": "조회", "No deal": "협상 없음",
}


def translator(lang: str) -> Callable[[str], str]:
    """``t(label)``: the label in ``lang`` (English if none)."""
    if lang == "ko":
        return lambda s: KO.get(s, s)
    return lambda s: s


def krw_of(usd_bn: float | None, krw_per_usd: float | None) -> str | None:
    """USD bn as KRW trillions ("KRW 14.4 tn") at ``krw_per_usd``; None if either is missing."""
    if usd_bn is None or krw_per_usd is None or usd_bn != usd_bn:
        return None
    return f"KRW {usd_bn * krw_per_usd / 1000:,.1f} tn"

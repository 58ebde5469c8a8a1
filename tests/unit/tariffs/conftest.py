from pathlib import Path

import pytest

from tradepact.resolve.tariff_files import default_schedule, default_tariff_system
from tradepact.studies.tariffs import TariffEngine

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"
HTS_DIR = SHARED / "raw" / "us-hts-2025"
needs_hts = pytest.mark.skipif(not (HTS_DIR / "hts_2025_basic_edition.csv").exists(),
                               reason="shared HTS data not present (../shared/data/raw/us-hts-2025)")


@pytest.fixture(scope="session")
def system():
    return default_tariff_system()


@pytest.fixture(scope="session")
def engine(system):
    return TariffEngine(system, default_schedule())


@pytest.fixture(scope="session")
def hts_schedule():
    if not (HTS_DIR / "hts_2025_basic_edition.csv").exists():
        pytest.skip("shared HTS data not present")
    from tradepact.io import Column1Schedule
    return Column1Schedule.from_hts_csv(HTS_DIR / "hts_2025_basic_edition.csv")

"""Trade data in, one validated shape out: :class:`ImportFrame` and its loaders."""

from .codes import PartnerTable, load_partner_table
from .frame import ImportFrame, TradeDataError
from .hts import Column1Schedule, ScheduleError, parse_rate, parse_special
from .loaders import (Concordance, load_baci, load_baci_country_codes, load_census_country_codes,
                      load_census_imports, load_comtrade_bulk, load_hs_concordance)

__all__ = [
    "ImportFrame", "TradeDataError", "PartnerTable", "load_partner_table",
    "Column1Schedule", "ScheduleError", "parse_rate", "parse_special",
    "Concordance", "load_baci", "load_baci_country_codes", "load_census_country_codes",
    "load_census_imports", "load_comtrade_bulk", "load_hs_concordance",
]

"""Trade data and code tables in, one validated shape out: :class:`ImportFrame`, loaders, shipped files."""

from ..core.lazy import lazy

_EXPORTS = {
    **dict.fromkeys(("PartnerTable", "load_partner_table"), ".codes"),
    **dict.fromkeys(("ImportFrame", "TradeDataError"), ".frame"),
    **dict.fromkeys(("Column1Schedule", "ScheduleError", "parse_rate", "parse_special"), ".hts"),
    **dict.fromkeys(("Concordance", "load_baci", "load_baci_country_codes", "load_census_country_codes",
                     "load_census_imports", "load_comtrade_bulk", "load_hs_concordance"), ".loaders"),
}
__getattr__, __dir__ = lazy(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)

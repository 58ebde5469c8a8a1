"""tradepact: price, stress-test and negotiate investment-for-tariff-relief deals."""

__version__ = "0.1.0"

"""Decisions on top of the engine: forecast (helper "decide" adds impact, allocation …)."""

from .forecast import Backtest, Forecast, backtest, forecast

__all__ = ["Backtest", "Forecast", "backtest", "forecast"]

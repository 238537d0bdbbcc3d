"""Decisions on top of the engine: forecast (helper "decide" adds impact, allocation …)."""

from .forecast import backtest, forecast

__all__ = ["backtest", "forecast"]

"""The Insights page: pain and training charts, the analysis findings and the days behind them.

QtCharts and the analysis (numpy) are imported only when the page is first shown.
"""

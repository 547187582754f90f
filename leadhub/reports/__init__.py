"""Reports (F1-F3): one module per report, GROUP BY queries over indexed columns."""

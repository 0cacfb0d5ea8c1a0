"""The report pages: compliance reports (compliance) and an individual's file
(individual)."""

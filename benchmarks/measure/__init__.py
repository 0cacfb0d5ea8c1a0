"""What `manage.py run_benchmarks` measures, one module per measurement.

pages     server time and queries of four pages (in-process, django.test.Client)
launch    launching a campaign for everyone (rolled back afterwards)
ledger    verify_chain over the whole ledger
code_check  the code check's lookup, codes spread over the chain
signing   signing under load through gunicorn and wrk, against a copy of the database
reports   the compliance report's own benchmark (benchmark_reports), if it can
machine   the machine and the data, for the report
report    the Markdown report and the JSON

The small version in the test run (benchmarks/tests/test_benchmark_queries.py) uses the
same page and launch code on 200 and 1,000 employees.
"""

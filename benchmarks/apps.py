from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Scale data and benchmarks: how the portal holds up with a large organisation.

    No models: commands that fill an empty database (generate_scale_data) and measure
    pages, launches, signing, reports and the ledger check (run_benchmarks), and the
    compliance report's own benchmark (benchmark_reports). Installed only in benchmark
    and test settings (config.settings.benchmark, config.settings.test).
    """

    name = "benchmarks"
    verbose_name = "Benchmarks"

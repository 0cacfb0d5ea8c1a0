from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo "Gemeente Voorbeeldstad": `seed_demo` fills a database with it and
    `demo_totp` prints a demo account's current two-factor code.

    No models. Installed only in development and test settings (config.settings.dev,
    config.settings.test): its accounts share a known password and printed two-factor
    secrets, so production does not even have the commands.
    """

    name = "demo"
    verbose_name = "Demo"

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "vhttdl.demo"
    label = "demo"
    verbose_name = "Demo"

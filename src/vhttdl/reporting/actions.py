"""The reporting system's actions (granted through roles; see module.py for which role holds which)."""


class ReportingAction:
    VIEW = "reporting.view"
    ENTER = "reporting.enter"
    APPROVE = "reporting.approve"
    ACCEPT = "reporting.accept"
    DESIGN = "reporting.design"

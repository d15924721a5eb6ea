"""The heritage database's actions (granted through roles; see module.py for which role holds which)."""


class HeritageAction:
    VIEW = "heritage.view"
    EDIT = "heritage.edit"
    PUBLISH = "heritage.publish"

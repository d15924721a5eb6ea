"""vhttdl: the digital platform of Vietnam's culture, sports and tourism administration."""

__version__ = "0.1.0"

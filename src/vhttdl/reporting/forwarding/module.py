"""What forwarding adds to the platform: the national system as a destination of core's outbox."""

from __future__ import annotations

from vhttdl.core.modules import Module
from vhttdl.reporting.forwarding.destination import NATIONAL_REPORTING

MODULE = Module(label="reporting_forwarding", outbox_destinations=(NATIONAL_REPORTING,))

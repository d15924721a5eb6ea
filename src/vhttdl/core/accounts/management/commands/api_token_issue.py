"""`vhttdl manage api_token_issue USERNAME [--name N] [--days D]`: issue a token from the server's console.

For the operator of the server (who can run any command there anyway), e.g. to provision a machine
client or the API fuzz run. People issue their own on the profile page, with their password.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vhttdl.core.accounts.models import User
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.services import api_token_create
from vhttdl.core.errors import DomainError


class Command(BaseCommand):
    help = "Issue an API token to a user from the server console; prints the secret once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="console")
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, username: str, name: str, days: int | None, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        try:
            # The console is the operator's own proof of identity: no password to re-enter here.
            issued = api_token_create(actor=SYSTEM, user=user, name=name, days=days,
                                      password_confirmed_at=timezone.now())
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(issued.secret)

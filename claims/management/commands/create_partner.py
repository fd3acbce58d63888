"""Create a partner (or reuse one by name) and print a new API key as the last line."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.models import Partner, PartnerAPIKey


class Command(BaseCommand):
    help = "Create a partner and a new API key for it; the key is printed once, as the last line."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="The partner's name, e.g. 'Example Platform'.")
        parser.add_argument("--rate", default="", help='Requests per key, e.g. "1000/hour" (default: the setting).')
        parser.add_argument("--email", default="", help="Contact address.")

    def handle(self, *args, name: str, rate: str, email: str, **options) -> None:
        name = name.strip()
        if not name:
            raise CommandError("Give the partner a name.")
        partner = Partner.objects.filter(name=name).first()
        created = partner is None
        if partner is None:
            partner = Partner(name=name, throttle_rate=rate, contact_email=email)
            try:
                partner.full_clean()
            except ValidationError as exc:
                raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
            partner.save()
        _, key = PartnerAPIKey.objects.create_key(name=f"{name[:40]} key", partner=partner)
        self.stdout.write(f"{'Created' if created else 'Found'} partner #{partner.pk} {partner.name}.")
        self.stdout.write("Its API key follows; it is shown only now. Send it as 'Authorization: Api-Key <key>'.")
        self.stdout.write(key)

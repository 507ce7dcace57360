"""Kept so later migrations that name it still resolve: the tokens are built in 0004, once is_open exists."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_establishment_search_tokens")]

    operations = []

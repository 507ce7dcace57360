"""Build search tokens for establishments already in the database when the token table arrives."""

from django.db import migrations

from schooltech.organisations.search_text import establishment_tokens


def build_tokens(apps, schema_editor):
    Establishment = apps.get_model("organisations", "Establishment")
    EstablishmentSearchToken = apps.get_model("organisations", "EstablishmentSearchToken")
    batch = []
    sources = Establishment.objects.using(schema_editor.connection.alias).values_list(
        "id", "name", "town", "postcode", "urn", "ukprn"
    )
    for establishment_id, name, town, postcode, urn, ukprn in sources.iterator(chunk_size=2000):
        tokens = establishment_tokens(name=name, town=town, postcode=postcode, urn=urn, ukprn=ukprn)
        batch += [EstablishmentSearchToken(establishment_id=establishment_id, token=token) for token in tokens]
        if len(batch) >= 20_000:
            EstablishmentSearchToken.objects.using(schema_editor.connection.alias).bulk_create(batch)
            batch = []
    EstablishmentSearchToken.objects.using(schema_editor.connection.alias).bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_establishment_search_tokens")]

    operations = [migrations.RunPython(build_tokens, migrations.RunPython.noop)]

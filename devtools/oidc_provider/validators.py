from oauth2_provider.oauth2_validators import OAuth2Validator

from schooltech.demo.people import DEMO_PEOPLE

PEOPLE_BY_EMAIL = {person["email"]: person for person in DEMO_PEOPLE}


class DfeShapedValidator(OAuth2Validator):
    """Claims as DfE Sign-in sends them: a stable `sub`, email, names and an `organisation` object."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "organisation": "organisation",
    }

    def get_additional_claims(self, request):
        person = PEOPLE_BY_EMAIL.get(request.user.email)
        if person is None:
            return {"email": request.user.email}
        claims = {
            "sub": person["sub"],
            "email": person["email"],
            "given_name": person["given_name"],
            "family_name": person["family_name"],
        }
        if person["claim"]:
            claims["organisation"] = person["claim"]
        return claims

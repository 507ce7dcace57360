"""The permission policy (accounts/policy.py) fitted onto django-ninja routes.

    @router.get("/schools/{urn}/standards", response=...)
    @operation("view", establishment="urn")
    def school_results(request, establishment): ...

`policy.requires` checks the action and hands the view the resolved rows (an Establishment for
`urn`); `operation` also shows django-ninja the URL's own parameters, which is what it validates
and documents. The declaration is what `api.auth` checks before any body is read, and what the
isolation walk (accounts/tests/test_isolation.py) reads.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable

from ninja import Router

from schooltech.accounts import policy
from schooltech.api.errors import MethodNotAllowed

_KEYWORD = inspect.Parameter.KEYWORD_ONLY


def operation(
    action: policy.Action,
    *,
    establishment: str | None = None,
    organisation: str | None = None,
    objects: dict[str, type] | None = None,
    params: Iterable[inspect.Parameter] = (),
    name: str | None = None,
) -> Callable[[Callable], Callable]:
    """Declare a route's access with the policy; `params` are its other parameters (query, body)."""
    objects = dict(objects or {})

    def decorator(view: Callable) -> Callable:
        wrapped = policy.requires(action, organisation=organisation, establishment=establishment, objects=objects)(view)
        url_params = [
            inspect.Parameter(kwarg, _KEYWORD, annotation=str) for kwarg in (establishment, organisation) if kwarg
        ]
        url_params += [inspect.Parameter(kwarg, _KEYWORD, annotation=int) for kwarg in objects]
        wrapped.__signature__ = inspect.Signature(
            [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD), *url_params, *params]
        )
        if name:
            wrapped.__name__ = wrapped.__qualname__ = name
        return wrapped

    return decorator


def refuse_other_methods(router: Router, path: str, *, allowed: list[str], **declaration) -> None:
    """Answer 405 to the methods a route does not have, after the policy (403/404 for other organisations)."""
    others = [method for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS") if method not in allowed]
    name = "refuse_" + "_".join(part.strip("{}").replace(":", "_") for part in path.strip("/").split("/"))

    @operation("view", name=name, **declaration)
    def refuse(request, **kwargs):
        raise MethodNotAllowed(allowed)

    router.api_operation(others, path, include_in_schema=False)(refuse)

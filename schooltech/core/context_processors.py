from django.conf import settings

from schooltech.core.navigation import navigation_items


def service(request):
    return {
        "service_name": settings.SERVICE_NAME,
        "feedback_url": settings.FEEDBACK_URL,
        "navigation": navigation_items(request),
    }

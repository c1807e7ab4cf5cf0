from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def health(request):
    """For load balancers and container health checks: the process answers requests."""
    return HttpResponse("ok", content_type="text/plain")

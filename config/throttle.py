"""Sign-in throttling (django-axes): who is trying, from where, and how many failures lock them.

Two locks, as settings.AXES_LOCKOUT_PARAMETERS lists them: one username from one address after
AXES_FAILURE_LIMIT failures, and one address, whatever the usernames, after
SIGN_IN_ADDRESS_FAILURE_LIMIT failures (one password tried against many accounts).

The address is the connection's own, unless settings.TRUSTED_PROXY_COUNT says how many proxies
of ours stand in front of the application: then it is the one the outermost of them saw, read
from the right of X-Forwarded-For, where a client cannot write it. Without that setting every
client behind a proxy would share the proxy's address, and anyone could lock a known account.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum

# AccessAttempt.username is 255 characters; the sign-in forms refuse anything over 150 first.
USERNAME_RECORDED_LENGTH = 255


def client_ip(request) -> str | None:
    """The client's address (AXES_CLIENT_IP_CALLABLE)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


def client_username(request, credentials) -> str | None:
    """The username tried (AXES_USERNAME_CALLABLE), cut to what the throttle's table holds."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if isinstance(username, str):
        return username[:USERNAME_RECORDED_LENGTH]
    return username


class SignInThrottle(AxesDatabaseHandler):
    """django-axes' database handler, with a limit of its own for an address across accounts.

    Axes compares every lockout parameter's failures with one limit; here failures counted for
    the address alone are scaled, so that they reach that limit at SIGN_IN_ADDRESS_FAILURE_LIMIT.
    """

    def get_failures(self, request, credentials=None) -> int:
        limit = settings.AXES_FAILURE_LIMIT
        per_address = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        counts = [0]
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == "ip_address":
                failures = failures * limit // per_address
            counts.append(failures)
        return max(counts)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears that account's failures from that address, not the
        address's failures with other accounts: signing in to one's own account must not reset
        a count of passwords tried against others."""
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.filter_user_attempts(request, credentials)
        count = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            if parameter != "ip_address":
                count += attempts.delete()[0]
        return count

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from . import selectors, services
from .forms import OFF, ReminderSettingsForm
from .models import DigestDay


@login_required
@require_safe
def home(request):
    rows = selectors.home_councils(request.user)
    return render(request, "councils/home.html", {"rows": rows, "nav": "home"})


@login_required
def reminder_settings(request):
    """Each person chooses the day of their weekly email of the actions they own, or none."""
    current = request.user.digest_day
    form = ReminderSettingsForm(
        request.POST or None, initial={"digest_day": OFF if current is None else str(current)}
    )
    if request.method == "POST" and form.is_valid():
        services.user_set_digest_day(user=request.user, day=form.day())
        day = form.day()
        messages.success(
            request,
            "You will get no weekly email of your actions"
            if day is None
            else f"You will get the weekly email of your actions every {DigestDay(day).label}",
        )
        return redirect("reminder_settings")
    return render(request, "councils/reminder_settings.html", {"form": form, "nav": "reminders"})

import threading, traceback
import pytest
from django.db import connection
from django.utils import timezone
from secretariat.meetings.models import Session
from secretariat.publishing.actions import publish

@pytest.mark.django_db(transaction=True)
def test_probe(cast):
    print(connection.settings_dict["NAME"], connection.settings_dict.get("OPTIONS"))
    barrier = threading.Barrier(2)
    def press(u):
        try:
            s = Session.objects.get(pk=cast.published.pk)
            barrier.wait()
            publish(session=s, kind="materials", by=u, now=timezone.now(), based_on=1)
        except Exception:
            traceback.print_exc()
        finally:
            connection.close()
    ts = [threading.Thread(target=press, args=(u,)) for u in (cast.clerk, cast.admin)]
    [t.start() for t in ts]; [t.join() for t in ts]

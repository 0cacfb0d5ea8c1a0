"""`manage.py import_staff_from_folder`: the newest file in the HR system's drop folder is
checked and applied by the staff import, moved aside, and HR gets the result (or every
problem) by e-mail through a real SMTP server. The lock across processes and machines:
test_scheduled_import_processes.py."""

from __future__ import annotations

import os
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from campaigns.tests.smtp import SmtpServer
from people.models import Department, Employee, StaffImport
from people.roles import Role
from people.services.import_lock import import_lock
from people.services.object_roles import grant_object_role
from people.tests.factories import EmployeeFactory
from people.tests.staff_import_support import organisation, person, staff_csv
from people.tests.staff_import_tree_support import people_file, unit_file

pytestmark = pytest.mark.django_db

OLD = 3600  # seconds: a file the HR system finished writing long ago


@pytest.fixture(autouse=True)
def departments(db):
    return organisation()


@pytest.fixture
def smtp_server(settings):
    server = SmtpServer().start()
    settings.MAILERS = server.mailers
    yield server
    server.stop()


@pytest.fixture
def folder(tmp_path, settings):
    folder = tmp_path / "hr-export"
    folder.mkdir()
    settings.STAFF_IMPORT_FOLDER = str(folder)
    settings.STAFF_IMPORT_EMAIL = []
    settings.PORTAL_BASE_URL = "https://portal.voorbeeldstad.nl"
    return folder


@pytest.fixture
def hr(db):
    return EmployeeFactory(
        hr=True,
        department=None,
        employee_number=None,
        email="hr@voorbeeldstad.nl",
        preferred_language="nl",
    )


def drop(folder: Path, name: str, data: bytes, *, age: float = OLD) -> Path:
    """A file as the HR system leaves it, last written ``age`` seconds ago."""
    path = folder / name
    path.write_bytes(data)
    moment = time.time() - age
    os.utime(path, (moment, moment))
    return path


def run(*args: str) -> tuple[int, str]:
    """The command's exit code and its output."""
    out = StringIO()
    try:
        call_command("import_staff_from_folder", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def numbers() -> set[str]:
    return set(
        Employee.objects.exclude(employee_number=None).values_list("employee_number", flat=True)
    )


def listing(folder: Path, subfolder: str) -> list[str]:
    path = folder / subfolder
    return sorted(p.name for p in path.iterdir()) if path.exists() else []


def good_file(*numbers_in_file: str) -> bytes:
    return staff_csv([person(number) for number in numbers_in_file])


BAD_FILE = staff_csv(
    [person("7001", email="geen-adres"), person("7002", datum_in_dienst="31-02-2024")]
)


# Choosing and applying the newest file ---------------------------------------------------


def test_the_newest_file_is_applied(folder, hr, smtp_server):
    drop(folder, "personeel-ma.csv", good_file("5001"), age=OLD * 2)
    drop(folder, "personeel-di.csv", good_file("5002", "5003"), age=OLD)

    code, output = run()

    assert code == 0
    assert numbers() == {"5002", "5003"}
    assert "applied personeel-di.csv: 2 new, 0 changed" in output
    assert StaffImport.objects.get().mode == StaffImport.Mode.APPLIED


def test_the_newest_is_chosen_by_when_it_was_written_not_by_its_name(folder, hr, smtp_server):
    drop(folder, "z-oud.csv", good_file("5001"), age=OLD * 2)
    drop(folder, "a-nieuw.csv", good_file("5002"), age=OLD)

    run()

    assert numbers() == {"5002"}


def test_the_applied_file_moves_to_verwerkt_with_the_time_in_front(folder, hr, smtp_server):
    drop(folder, "personeel.csv", good_file("5001"))

    run()

    assert listing(folder, "") == ["verwerkt"]
    (moved,) = listing(folder, "verwerkt")
    assert moved.endswith("-personeel.csv") and moved[:8].isdigit()


def test_an_older_file_is_not_applied_but_moved_aside_as_skipped(folder, hr, smtp_server):
    drop(folder, "maandag.csv", good_file("5001"), age=OLD * 2)
    drop(folder, "dinsdag.csv", good_file("5002"), age=OLD)

    code, output = run()

    assert "5001" not in numbers()
    assert [name.split("-", 2)[2] for name in listing(folder, "overgeslagen")] == ["maandag.csv"]
    assert "skipped maandag.csv: older than the newest file" in output
    assert StaffImport.objects.filter(filename="maandag.csv").count() == 0


def test_a_second_run_does_not_take_the_same_file_again(folder, hr, smtp_server):
    drop(folder, "personeel.csv", good_file("5001"))
    run()

    code, output = run()

    assert (code, output) == (0, "")
    assert StaffImport.objects.count() == 1


def test_an_empty_folder_is_a_quiet_success(folder, hr, smtp_server):
    code, output = run()

    assert (code, output) == (0, "")
    assert StaffImport.objects.count() == 0
    assert smtp_server.messages == []


def test_a_file_still_being_written_is_left_for_a_later_run(folder, hr, smtp_server):
    drop(folder, "personeel.csv", good_file("5001"), age=0)

    code, output = run()

    assert code == 0
    assert output.startswith("waiting: personeel.csv")
    assert numbers() == set() and listing(folder, "") == ["personeel.csv"]


def test_files_being_uploaded_and_hidden_files_are_not_taken(folder, hr, smtp_server):
    drop(folder, "personeel.csv.part", good_file("5001"))
    drop(folder, ".personeel.csv", good_file("5002"))

    code, output = run()

    assert (code, output) == (0, "")
    assert numbers() == set()


def test_a_full_export_makes_those_missing_from_it_leavers(folder, hr, smtp_server):
    EmployeeFactory(employee_number="4000", email="p4000@voorbeeldstad.nl")
    drop(folder, "personeel.csv", good_file("5001"))

    code, output = run("--full")

    assert not Employee.objects.get(employee_number="4000").is_active
    assert "1 leaving" in output and "(full export)" in output


def test_a_dry_run_changes_moves_and_mails_nothing(folder, hr, smtp_server):
    drop(folder, "oud.csv", good_file("5001"), age=OLD * 2)
    drop(folder, "personeel.csv", good_file("5002"))

    code, output = run("--dry-run")

    assert code == 0
    assert numbers() == set()
    assert listing(folder, "") == ["oud.csv", "personeel.csv"]
    assert smtp_server.messages == []
    assert StaffImport.objects.get().mode == StaffImport.Mode.DRY_RUN
    assert "dry run personeel.csv: 1 new" in output


# The folder's setting ------------------------------------------------------------------


def test_without_a_folder_the_command_refuses_to_run(settings, hr):
    settings.STAFF_IMPORT_FOLDER = ""

    code, output = run()

    assert code == 2
    assert StaffImport.objects.count() == 0


def test_a_folder_that_does_not_exist_is_an_error(settings, tmp_path):
    settings.STAFF_IMPORT_FOLDER = str(tmp_path / "niet-gekoppeld")

    assert run()[0] == 2


def test_the_folder_option_wins_over_the_setting(folder, tmp_path, hr, smtp_server):
    other = tmp_path / "ander"
    other.mkdir()
    drop(other, "personeel.csv", good_file("5001"))
    drop(folder, "personeel.csv", good_file("5002"))

    run("--folder", str(other))

    assert numbers() == {"5001"}


# Refused files -------------------------------------------------------------------------


def test_a_refused_file_changes_nothing(folder, hr, smtp_server):
    drop(folder, "personeel.csv", BAD_FILE)

    code, output = run()

    assert code == 1
    assert numbers() == set()
    assert StaffImport.objects.get().mode == StaffImport.Mode.REFUSED
    assert "refused personeel.csv: 2 problems; nothing changed" in output


def test_a_refused_file_moves_to_geweigerd(folder, hr, smtp_server):
    drop(folder, "personeel.csv", BAD_FILE)

    run()

    assert listing(folder, "") == ["geweigerd"]
    assert listing(folder, "geweigerd")[0].endswith("-personeel.csv")


def test_the_refusal_mail_lists_every_problem_with_its_line(folder, hr, smtp_server, settings):
    settings.STAFF_IMPORT_MAX_PROBLEMS_SHOWN = 1  # the log keeps one; the mail has all
    drop(folder, "personeel.csv", BAD_FILE)

    run()

    (mail,) = smtp_server.received_by("hr@voorbeeldstad.nl")
    assert "geweigerd" in mail.message["Subject"]
    assert "regel 2:" in mail.text and "regel 3:" in mail.text
    assert "Er is niets veranderd" in mail.text


def test_an_english_reader_gets_the_problems_in_english(folder, hr, smtp_server):
    EmployeeFactory(hr=True, email="hr-en@voorbeeldstad.nl", preferred_language="en")
    drop(folder, "personeel.csv", BAD_FILE)

    run()

    (mail,) = smtp_server.received_by("hr-en@voorbeeldstad.nl")
    assert "refused" in mail.message["Subject"]
    assert "line 2:" in mail.text and "regel" not in mail.text


def test_a_huge_file_is_refused_as_too_big_without_being_applied(folder, hr, smtp_server, settings):
    settings.STAFF_IMPORT_MAX_BYTES = 2_000
    drop(folder, "personeel.csv", good_file(*(str(5000 + n) for n in range(200))))

    code, _ = run()

    assert code == 1
    assert numbers() == set()
    (mail,) = smtp_server.messages
    assert "te groot" in mail.text


def test_a_binary_file_is_refused_with_a_clear_message(folder, hr, smtp_server):
    drop(folder, "personeel.xlsx", b"PK\x03\x04" + os.urandom(500))

    assert run()[0] == 1
    assert "Excel" in smtp_server.messages[0].text


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(folder, hr, smtp_server):
    path = drop(folder, "personeel.csv", good_file("5001"))
    path.chmod(0)

    code, output = run()

    assert code == 1
    assert "cannot be read" in output
    assert "kon niet worden gelezen" in smtp_server.messages[0].text


def test_a_link_in_the_folder_is_never_followed(folder, tmp_path, hr, smtp_server):
    secret = tmp_path / "secret.env"
    secret.write_text("personeelsnummer;DJANGO_SECRET_KEY=geheim\n")
    drop(folder, "personeel.csv", good_file("5001"), age=OLD * 2)
    (folder / "nieuwste.csv").symlink_to(secret)

    code, output = run()

    assert numbers() == {"5001"}
    assert "ignored nieuwste.csv: not a regular file" in output
    assert all("geheim" not in m.text for m in smtp_server.messages)
    assert (folder / "nieuwste.csv").is_symlink()


# The result mail -----------------------------------------------------------------------


def test_the_result_mail_gives_the_counts_and_a_link_to_the_log(folder, hr, smtp_server):
    EmployeeFactory(employee_number="4000", email="p4000@voorbeeldstad.nl")
    drop(folder, "personeel.csv", good_file("5001", "5002"))

    run()

    (mail,) = smtp_server.received_by("hr@voorbeeldstad.nl")
    log = StaffImport.objects.get()
    assert "Nieuw: 2. Gewijzigd: 0." in mail.text
    url = "https://portal.voorbeeldstad.nl" + reverse("people:staff_import_detail", args=[log.pk])
    assert url in mail.text
    assert f'href="{url}"' in mail.html


def test_the_result_mail_names_the_skipped_files(folder, hr, smtp_server):
    drop(folder, "maandag.csv", good_file("5001"), age=OLD * 2)
    drop(folder, "dinsdag.csv", good_file("5002"))

    run()

    assert "- maandag.csv" in smtp_server.messages[0].text


def test_each_hr_person_gets_the_result_in_their_language(folder, hr, smtp_server):
    EmployeeFactory(hr=True, email="hr-en@voorbeeldstad.nl", preferred_language="en")
    drop(folder, "personeel.csv", good_file("5001"))

    run()

    (english,) = smtp_server.received_by("hr-en@voorbeeldstad.nl")
    (dutch,) = smtp_server.received_by("hr@voorbeeldstad.nl")
    assert "New: 1." in english.text
    assert "Nieuw: 1." in dutch.text


def test_the_mailbox_setting_gets_the_mail_instead_of_the_hr_people(
    folder, hr, smtp_server, settings
):
    settings.STAFF_IMPORT_EMAIL = ["po@voorbeeldstad.nl", "hr-lead@voorbeeldstad.nl"]
    drop(folder, "personeel.csv", good_file("5001"))

    run()

    assert sorted(a for m in smtp_server.messages for a in m.rcpt_tos) == [
        "hr-lead@voorbeeldstad.nl",
        "po@voorbeeldstad.nl",
    ]


def test_an_hr_adviser_of_one_department_gets_no_mail(folder, hr, smtp_server, departments):
    adviser = EmployeeFactory(email="adviseur@voorbeeldstad.nl")
    grant_object_role(actor=None, employee=adviser, role=Role.HR, target=departments["DIR-RUI"])
    drop(folder, "personeel.csv", good_file("5001"))

    run()

    assert smtp_server.received_by("adviseur@voorbeeldstad.nl") == []


def test_a_file_name_is_escaped_in_the_html_mail(folder, hr, smtp_server):
    drop(folder, "<b>personeel.csv", good_file("5001"))

    run()

    assert "&lt;b&gt;personeel.csv" in smtp_server.messages[0].html
    assert "<b>" not in smtp_server.messages[0].html


def test_when_the_mail_server_is_down_the_import_stands_and_the_run_fails(folder, hr, settings):
    settings.MAILERS = SmtpServer().mailers  # nothing listens there
    drop(folder, "personeel.csv", good_file("5001"))

    code, output = run()

    assert code == 2
    assert numbers() == {"5001"}
    assert listing(folder, "verwerkt")
    assert "not mailed" in output


# The lock within one machine ------------------------------------------------------------


def hold_the_lock(release: threading.Event, held: threading.Event):
    """Another run: takes the lock on a connection of its own and keeps it until told."""
    from django.db import connection

    try:
        with import_lock() as taken:
            assert taken
            held.set()
            release.wait(30)
    finally:
        connection.close()


def test_while_another_run_holds_the_lock_a_run_applies_nothing(folder, hr, smtp_server):
    drop(folder, "personeel.csv", good_file("5001"))
    release, held = threading.Event(), threading.Event()
    other = threading.Thread(target=hold_the_lock, args=(release, held))
    other.start()
    try:
        assert held.wait(10)
        code, output = run()
    finally:
        release.set()
        other.join(30)

    assert (code, output) == (0, "busy: another run holds the lock; nothing done\n")
    assert numbers() == set()
    assert listing(folder, "") == ["personeel.csv"]


def test_once_the_other_run_lets_go_the_next_run_applies_the_file(folder, hr, smtp_server):
    drop(folder, "personeel.csv", good_file("5001"))
    release, held = threading.Event(), threading.Event()
    other = threading.Thread(target=hold_the_lock, args=(release, held))
    other.start()
    assert held.wait(10)
    threading.Timer(0.5, release.set).start()
    try:
        code, output = run("--wait", "20")
    finally:
        release.set()
        other.join(30)

    assert code == 0
    assert numbers() == {"5001"}


# The organisation-unit file --------------------------------------------------------------

UNITS = unit_file(
    [
        ("DIR-SOC", "", "Directie Sociaal Domein", "directie"),
        ("AFD-WIJK", "DIR-SOC", "Afdeling Wijkteams", "afdeling"),
    ]
)


def test_the_unit_file_goes_with_the_staff_file_and_builds_the_tree(folder, hr, smtp_server):
    drop(folder, "organisatie.csv", UNITS)
    drop(folder, "personeel.csv", people_file({"5001": "AFD-WIJK"}))

    code, output = run("--units", "organisatie*")

    assert code == 0, output
    assert Employee.objects.get(employee_number="5001").department.code == "AFD-WIJK"
    assert Department.objects.get(code="AFD-WIJK").parent.code == "DIR-SOC"
    assert [name.split("-", 2)[2] for name in listing(folder, "verwerkt")] == [
        "organisatie.csv",
        "personeel.csv",
    ]
    assert "with units organisatie.csv" in output and "2 unit changes" in output


def test_the_result_mail_names_the_unit_file_and_the_tree_changes(folder, hr, smtp_server):
    drop(folder, "organisatie.csv", UNITS)
    drop(folder, "personeel.csv", people_file({"5001": "AFD-WIJK"}))

    run("--units", "organisatie*")

    text = smtp_server.messages[0].text
    assert "Het eenhedenbestand “organisatie.csv” is meegenomen." in text
    assert "Wijzigingen in de afdelingen: 2" in text


def test_without_the_units_option_a_unit_file_counts_as_a_staff_file(folder, hr, smtp_server):
    drop(folder, "personeel.csv", people_file({"5001": "AFD-VERG"}), age=OLD * 2)
    drop(folder, "organisatie.csv", UNITS)

    code, output = run()

    assert code == 1  # the newest, the unit file, is no staff file
    assert numbers() == set()


def test_a_unit_file_without_a_staff_file_waits_for_it_quietly(folder, hr, smtp_server):
    drop(folder, "organisatie.csv", UNITS)

    code, output = run("--units", "organisatie*")

    assert (code, output) == (0, "")
    assert listing(folder, "") == ["organisatie.csv"]


def test_an_older_unit_file_is_skipped(folder, hr, smtp_server):
    drop(folder, "organisatie-oud.csv", b"code;naam\r\nOUD;Oud\r\n", age=OLD * 2)
    drop(folder, "organisatie.csv", UNITS)
    drop(folder, "personeel.csv", people_file({"5001": "AFD-WIJK"}))

    code, output = run("--units", "organisatie*")

    assert code == 0, output
    assert "skipped organisatie-oud.csv" in output
    assert not Department.objects.filter(code="OUD").exists()


def test_a_refused_unit_file_refuses_both_files(folder, hr, smtp_server):
    drop(folder, "organisatie.csv", unit_file([("AFD-WIJK", "BESTAAT-NIET", "Wijk", "afdeling")]))
    drop(folder, "personeel.csv", people_file({"5001": "AFD-WIJK"}))

    code, output = run("--units", "organisatie*")

    assert code == 1, output
    assert numbers() == set() and not Department.objects.filter(code="AFD-WIJK").exists()
    assert len(listing(folder, "geweigerd")) == 2

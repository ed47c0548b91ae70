#!/usr/bin/env python
"""django-helpdesk under ticketflow: ``python manage.py test`` runs the example's tests."""

import os
import sys

from django.core.management import execute_from_command_line

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    execute_from_command_line(sys.argv)

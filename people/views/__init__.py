"""The people pages: the staff directory and language switch (directory) and HR's staff
import (staff_import)."""

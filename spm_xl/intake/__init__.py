"""Recipient lists in (``spm-xl impor``): reading lists, matching their columns, appending."""

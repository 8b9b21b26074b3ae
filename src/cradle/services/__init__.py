"""Citizen services: 生育登记, 出生一件事, applications and their review, 免申即享, 亲情代办, reminders, appeals."""

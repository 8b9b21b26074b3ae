"""妇幼健康: pregnancy files with 五色 risk management, death reviews, screenings and child health records that
compute the health targets; 婚育 services (docs/health.md)."""

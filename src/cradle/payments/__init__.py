"""Payments through the 财政补贴资金一卡通: entitlements, monthly cycles, batches per county, bank files."""

"""Broker referrals (A5, E4, G2): referral forms per project, the brokers' private links,
the referrals they submit, and the Referrals tab where the brand accepts or rejects them."""

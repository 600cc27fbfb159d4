"""The pure-Python Ed25519 signer against RFC 8032 section 7.1, and NKey seed encoding."""

import unittest

from jetmesh import nkeys

# RFC 8032 section 7.1, TEST 1, TEST 2 and TEST 3 (secret key, public key, message, signature)
VECTORS = [
    ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
    ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
    ("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
]


class Ed25519Test(unittest.TestCase):
    def test_rfc8032_vectors(self):
        for secret, public, msg, sig in VECTORS:
            with self.subTest(secret=secret[:8]):
                sk, m = bytes.fromhex(secret), bytes.fromhex(msg)
                self.assertEqual(nkeys.ed25519_public_key(sk).hex(), public)
                self.assertEqual(nkeys.ed25519_sign(sk, m).hex(), sig)
                self.assertTrue(nkeys.ed25519_verify(bytes.fromhex(public), m, bytes.fromhex(sig)))

    def test_altered_message_or_signature_does_not_verify(self):
        secret, public, msg, sig = VECTORS[1]
        pk, s = bytes.fromhex(public), bytearray(bytes.fromhex(sig))
        self.assertFalse(nkeys.ed25519_verify(pk, b"\x73", bytes(s)))
        s[5] ^= 1
        self.assertFalse(nkeys.ed25519_verify(pk, bytes.fromhex(msg), bytes(s)))

    def test_random_keys_sign_and_verify(self):
        import os
        for _ in range(5):
            sk, m = os.urandom(32), os.urandom(40)
            self.assertTrue(nkeys.ed25519_verify(nkeys.ed25519_public_key(sk), m, nkeys.ed25519_sign(sk, m)))


class NKeyTest(unittest.TestCase):
    def test_user_seed_round_trip(self):
        kp = nkeys.KeyPair.from_secret(bytes.fromhex(VECTORS[0][0]))
        self.assertTrue(kp.seed.startswith("SU"))
        self.assertTrue(kp.public_key.startswith("U"))
        self.assertEqual(len(kp.public_key), 56)
        again = nkeys.KeyPair(kp.seed)
        self.assertEqual(again.public_key, kp.public_key)
        sig = again.sign(b"nonce")
        self.assertEqual(sig.hex(), nkeys.ed25519_sign(bytes.fromhex(VECTORS[0][0]), b"nonce").hex())

    def test_bad_seeds_are_refused(self):
        kp = nkeys.KeyPair.from_secret(bytes(32))
        broken = kp.seed[:-3] + ("A" if kp.seed[-3] != "A" else "B") + kp.seed[-2:]
        for bad in ("", "not-a-seed", broken, kp.public_key):
            with self.subTest(bad=bad[:10]):
                with self.assertRaises(ValueError):
                    nkeys.KeyPair(bad)

    def test_creds_file_blocks(self):
        kp = nkeys.KeyPair.from_secret(bytes(range(32)))
        text = ("-----BEGIN NATS USER JWT-----\neyJ0eXAi.payload.sig\n------END NATS USER JWT------\n\n"
                "************************* IMPORTANT *************************\n"
                "-----BEGIN USER NKEY SEED-----\n" + kp.seed + "\n------END USER NKEY SEED------\n")
        jwt, got = nkeys.read_creds(text)
        self.assertEqual(jwt, "eyJ0eXAi.payload.sig")
        self.assertEqual(got.public_key, kp.public_key)


if __name__ == "__main__":
    unittest.main()

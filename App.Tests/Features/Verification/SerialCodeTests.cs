using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Operator.Features.Verification;

namespace Operator.Tests.Features.Verification;

/// <summary>
/// The pure part of public verification: code format, ISO/IEC 7064 MOD 37,36 check character, HMAC signature, key
/// rotation and the format → checksum → signature order. Known answers were cross-checked with python-stdnum's
/// mod_37_36 algorithm and Python's hmac module.
/// </summary>
public sealed class SerialCodeTests
{
    private const string Alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Ma01Secret = "ma01-demo-secret-0001";
    private const string Ab12Secret = "another-org-secret-xyz";
    private const string Zz99Secret = "zz99-third-org-secret";

    private static SerialCodeSigner Signer(params (string Org, string[] Secrets)[] orgs)
    {
        var options = new VerificationKeyOptions();
        foreach (var (org, secrets) in orgs) options.Keys[org] = secrets;
        return new SerialCodeSigner(Options.Create(options));
    }

    private static readonly SerialCodeSigner Default = Signer(("MA01", [Ma01Secret]), ("AB12", [Ab12Secret]), ("ZZ99", [Zz99Secret]));
    private static readonly SerialCodeVerifier Verifier = new(Default);

    // ---- Reference: python-stdnum's stdnum/iso7064/mod_37_36.py, transcribed as-is (a different formulation of the
    // standard's recurrence from the one in the app, so the two check each other).
    private static int StdnumChecksum(string alnum)
    {
        var check = 36 / 2;
        foreach (var ch in alnum) check = ((check == 0 ? 36 : check) * 2 % 37 + Alnum.IndexOf(ch)) % 36;
        return check;
    }

    private static char StdnumCheckDigit(string alnum)
    {
        // alphabet[(1 - ((checksum or modulus) * 2) % (modulus + 1)) % modulus], with Python's non-negative %.
        var check = StdnumChecksum(alnum);
        return Alnum[((1 - (check == 0 ? 36 : check) * 2 % 37) % 36 + 36) % 36];
    }

    private static string AlnumOnly(string code) => code.Replace("-", "");

    // ---- Known answers -------------------------------------------------------------------------------------------

    [Fact]
    public void Check_character_known_answer_by_hand()
    {
        // "Z0" by the standard's recurrence, M = 36, M + 1 = 37, P₁ = 36:
        //   'Z' = 35: S = (36 + 35) mod 36 = 35;  P = 2·35 mod 37 = 70 − 37 = 33
        //   '0' =  0: S = (33 +  0) mod 36 = 33;  P = 2·33 mod 37 = 66 − 37 = 29
        //   check c must give (29 + c) mod 36 = 1  →  c = (37 − 29) mod 36 = 8  →  '8'
        // Verification of "Z08": '8' = 8: S = (29 + 8) mod 36 = 1  → remainder 1, valid.
        Assert.Equal('8', Iso7064Mod37_36.Compute("Z0"));
        Assert.True(Iso7064Mod37_36.IsValid("Z08"));
        Assert.False(Iso7064Mod37_36.IsValid("Z07"));
    }

    [Theory]
    // python-stdnum's own doctest example (from the standard): A12425GABC1234002 → M.
    [InlineData("A12425GABC1234002", 'M')]
    // The rest computed with python-stdnum's algorithm (python3, hyphens removed before computing).
    [InlineData("MA01-HAT-BAG-20251109-00027", 'G')]
    [InlineData("MA01-HAT-BAG-20251109-00027-A9K2", 'A')]
    [InlineData("ZZ99-OEM-ABCDEFGHIJKL-19991231-99999-0000", '3')]
    [InlineData("0000-HAT-00-20240229-00001-ZZZZ", 'X')]
    [InlineData("0", '2')]
    [InlineData("A", 'H')]
    [InlineData("OEM", '4')]
    public void Check_character_known_answers(string payload, char expected)
    {
        Assert.Equal(expected, Iso7064Mod37_36.Compute(payload));
        Assert.True(Iso7064Mod37_36.IsValid($"{payload}-{expected}"));
        Assert.Equal(1, StdnumChecksum(AlnumOnly(payload) + expected));
    }

    [Fact]
    public void Check_character_agrees_with_the_stdnum_formulation_on_random_strings()
    {
        var random = new Random(3736);
        for (var n = 0; n < 20_000; n++)
        {
            var text = new string(Enumerable.Range(0, random.Next(1, 40)).Select(_ => Alnum[random.Next(36)]).ToArray());
            Assert.Equal(StdnumCheckDigit(text), Iso7064Mod37_36.Compute(text));
            var candidate = text + Alnum[random.Next(36)];
            Assert.Equal(StdnumChecksum(candidate) == 1, Iso7064Mod37_36.IsValid(candidate));
        }
    }

    [Theory]
    // HMAC-SHA256(secret, payload), first 4 bytes big-endian mod 36^4, base 36: computed with Python's hmac module.
    [InlineData("MA01", Ma01Secret, "HAT", "BAG", "2025-11-09", 27, "MA01-HAT-BAG-20251109-00027-PT2H-2")]
    [InlineData("AB12", Ab12Secret, "OEM", "WIDGET42", "2024-02-29", 1, "AB12-OEM-WIDGET42-20240229-00001-Y69U-T")]
    public void Issue_known_answers(string org, string secret, string type, string sku, string date, int sequence, string expected)
    {
        var signer = Signer((org, [secret]));
        Assert.Equal(expected, signer.Issue(org, type, sku, DateOnly.Parse(date, CultureInfo.InvariantCulture), sequence));
    }

    // ---- Round trip ----------------------------------------------------------------------------------------------

    public static TheoryData<string, string, string, string, int> RoundTrips => new()
    {
        { "MA01", "HAT", "BAG", "2025-11-09", 27 },
        { "MA01", "OEM", "WALLET", "2025-01-01", 1 },
        { "MA01", "HAT", "AB", "2000-02-29", 99_999 },
        { "AB12", "OEM", "WIDGET42", "2024-02-29", 1 },
        { "AB12", "HAT", "ABCDEFGHIJKL", "1999-12-31", 500 },
        { "ZZ99", "OEM", "0000", "2099-06-15", 12_345 },
        { "ZZ99", "hat", "lowercase", "2026-03-01", 42 },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Issue_parse_checksum_signature_round_trip(string org, string type, string sku, string date, int sequence)
    {
        var day = DateOnly.Parse(date, CultureInfo.InvariantCulture);
        var code = Default.Issue(org, type, sku, day, sequence);

        Assert.True(SerialCodeFormat.TryParse(code, out var parts, out var normalized));
        Assert.Equal(code, normalized);
        Assert.Equal(code, parts.Code);
        Assert.Equal((org, type.ToUpperInvariant(), sku.ToUpperInvariant(), day, sequence), (parts.OrgCode, parts.ProductionType, parts.Sku, parts.Date, parts.Sequence));
        Assert.True(SerialCodeFormat.HasValidCheck(normalized));
        Assert.True(Default.VerifySignature(parts));

        var result = Verifier.Check(code);
        Assert.True(result.IsOk);
        Assert.Equal(code, result.Normalized);
        Assert.Equal(parts, result.Parts);
    }

    // ---- Every single substitution, every adjacent transposition -------------------------------------------------

    /// <summary>Issued codes over three organizations, both types, SKU lengths 2-12, many dates and sequences.</summary>
    private static IEnumerable<string> Corpus(int count)
    {
        var random = new Random(20251109);
        var orgs = new[] { "MA01", "AB12", "ZZ99" };
        for (var n = 0; n < count; n++)
        {
            var sku = new string(Enumerable.Range(0, random.Next(2, 13)).Select(_ => Alnum[random.Next(36)]).ToArray());
            yield return Default.Issue(
                orgs[n % orgs.Length],
                n % 2 == 0 ? "HAT" : "OEM",
                sku,
                new DateOnly(2000, 1, 1).AddDays(random.Next(0, 36_500)),
                random.Next(1, 100_000));
        }
    }

    [Fact]
    public void Every_single_substitution_at_every_position_is_caught_by_the_check_character()
    {
        var checkedCount = 0;
        foreach (var code in Corpus(150))
        {
            for (var i = 0; i < code.Length; i++)
            {
                if (code[i] == '-') continue;
                // All of 0-9 A-Z at every position: a superset of the characters the format allows there.
                foreach (var replacement in Alnum)
                {
                    if (replacement == code[i]) continue;
                    var typo = string.Concat(code.AsSpan(0, i), replacement.ToString(), code.AsSpan(i + 1));
                    Assert.False(SerialCodeFormat.HasValidCheck(typo), $"{code} → {typo}");
                    Assert.NotEqual(VerificationCheck.Ok, Verifier.Check(typo).Outcome);
                    checkedCount++;
                }
            }
        }
        Assert.True(checkedCount > 150 * 20 * 35);
    }

    /// <summary>
    /// ISO/IEC 7064 promises hybrid systems catch every single substitution but only "all or nearly all"
    /// transpositions. For MOD 37,36 the exceptions are exactly: two characters of consecutive values v, v+1 (mod 36)
    /// swapped where the running state P (before the pair) satisfies (P + v) mod 36 = 18, because both orders then
    /// reach the same state (S = 18 → P = 36 and S = 19 → P = 1, and 36 + v + 1 ≡ 1 + v). With the check character as
    /// the second of the pair the only exception is P = 18 with {0, 1}.
    /// </summary>
    private static bool IsMod3736BlindSpot(string alnum, int j)
    {
        var check = StdnumChecksum(alnum[..j]);
        var p = j == 0 ? 36 : (check == 0 ? 36 : check) * 2 % 37;
        int a = Alnum.IndexOf(alnum[j]), b = Alnum.IndexOf(alnum[j + 1]);
        if (j + 1 == alnum.Length - 1) return p == 18 && Math.Min(a, b) == 0 && Math.Max(a, b) == 1;
        int? lower = (b - a + 36) % 36 == 1 ? a : (a - b + 36) % 36 == 1 ? b : null;
        return lower is { } v && (p + v) % 36 == 18;
    }

    [Fact]
    public void Every_adjacent_transposition_is_caught_outside_the_standards_blind_spot_and_always_by_verification()
    {
        var transpositions = 0;
        var blindSpots = 0;
        foreach (var code in Corpus(1_000))
        {
            // Swap neighbouring letters/digits of the hyphen-free sequence, across hyphens too, keeping hyphens in place.
            var slots = Enumerable.Range(0, code.Length).Where(i => code[i] != '-').ToArray();
            var alnum = AlnumOnly(code);
            for (var j = 0; j + 1 < slots.Length; j++)
            {
                if (code[slots[j]] == code[slots[j + 1]]) continue;
                var chars = code.ToCharArray();
                (chars[slots[j]], chars[slots[j + 1]]) = (chars[slots[j + 1]], chars[slots[j]]);
                var swapped = new string(chars);
                transpositions++;

                var blind = IsMod3736BlindSpot(alnum, j);
                if (blind) blindSpots++;
                // The check character catches every transposition but the standard's blind spot, and none of those.
                Assert.True(blind == SerialCodeFormat.HasValidCheck(swapped), $"{code} → {swapped} (blind spot: {blind})");
                // End to end nothing gets through: the signature catches what the check character cannot.
                var outcome = Verifier.Check(swapped).Outcome;
                Assert.NotEqual(VerificationCheck.Ok, outcome);
                if (blind && SerialCodeFormat.TryParse(swapped, out _, out _)) Assert.Equal(VerificationCheck.Signature, outcome);
            }
        }
        Assert.True(transpositions > 20_000);
        // The corpus does hit the blind spot (about 0.14 % of transpositions), so the backstop above is exercised.
        Assert.InRange(blindSpots, 1, transpositions / 200);
    }

    [Fact]
    public void The_transposition_blind_spot_is_exactly_36_of_22680_state_and_pair_combinations()
    {
        // From the start state P = 36 a single character a leads to P = 2·(a or 36) mod 37, which covers all 36
        // states, so one prefix character puts the recurrence in any state; then every unordered pair is swapped.
        var undetected = 0;
        var total = 0;
        foreach (var prefix in Alnum)
        {
            for (var a = 0; a < 36; a++)
            {
                for (var b = a + 1; b < 36; b++)
                {
                    // "X" after the pair keeps it interior; the check character closes the string.
                    var original = $"{prefix}{Alnum[a]}{Alnum[b]}X";
                    var withCheck = original + Iso7064Mod37_36.Compute(original);
                    var swapped = $"{prefix}{Alnum[b]}{Alnum[a]}X{withCheck[^1]}";
                    total++;
                    if (Iso7064Mod37_36.IsValid(swapped))
                    {
                        undetected++;
                        Assert.True(IsMod3736BlindSpot(withCheck, 1));
                    }
                    else
                    {
                        Assert.False(IsMod3736BlindSpot(withCheck, 1));
                    }
                }
            }
        }
        Assert.Equal(36 * 630, total);
        Assert.Equal(36, undetected);
    }

    // ---- Signatures and key rotation -----------------------------------------------------------------------------

    [Fact]
    public void A_forged_signature_with_a_correct_check_character_fails()
    {
        var code = Default.Issue("MA01", "HAT", "BAG", new DateOnly(2025, 11, 9), 27);
        Assert.True(SerialCodeFormat.TryParse(code, out var genuine, out _));

        foreach (var guess in new[] { "0000", "ZZZZ", "A9K2", "PT2G", "PT2I", "QT2H" })
        {
            var signed = $"{genuine.Payload}-{guess}";
            var forged = $"{signed}-{Iso7064Mod37_36.Compute(signed)}";
            Assert.True(SerialCodeFormat.TryParse(forged, out var parts, out var normalized));
            Assert.True(SerialCodeFormat.HasValidCheck(normalized));
            Assert.False(Default.VerifySignature(parts));
            Assert.Equal(VerificationCheck.Signature, Verifier.Check(forged).Outcome);
        }
    }

    [Fact]
    public void A_signature_does_not_carry_over_to_another_payload_or_organization_or_secret()
    {
        var code = Default.Issue("MA01", "HAT", "BAG", new DateOnly(2025, 11, 9), 27);
        Assert.True(SerialCodeFormat.TryParse(code, out var genuine, out _));
        var signature = genuine.Signature;

        // The same signature on a neighbouring sequence, another SKU, another type or another organization.
        foreach (var payload in new[] { "MA01-HAT-BAG-20251109-00028", "MA01-HAT-BAGS-20251109-00027", "MA01-OEM-BAG-20251109-00027", "AB12-HAT-BAG-20251109-00027" })
        {
            var moved = $"{payload}-{signature}";
            Assert.Equal(VerificationCheck.Signature, Verifier.Check($"{moved}-{Iso7064Mod37_36.Compute(moved)}").Outcome);
        }

        // Someone who guessed the format but not the secret.
        var impostor = Signer(("MA01", ["a-guess-at-the-secret"]));
        Assert.Equal(VerificationCheck.Signature, Verifier.Check(impostor.Issue("MA01", "HAT", "BAG", new DateOnly(2025, 11, 9), 27)).Outcome);

        // An organization without configured secrets verifies nothing.
        var unknown = Signer(("QQ77", ["some-secret-of-qq77"])).Issue("QQ77", "HAT", "BAG", new DateOnly(2025, 11, 9), 1);
        Assert.Equal(VerificationCheck.Signature, Verifier.Check(unknown).Outcome);
        Assert.False(Default.HasKeys("QQ77"));
    }

    [Fact]
    public void A_rotated_out_secret_verifies_while_it_is_the_second_key_and_not_once_removed()
    {
        const string oldSecret = "old-secret-2024-rotate-me";
        const string newSecret = "new-secret-2025-fresh-one";
        var day = new DateOnly(2025, 11, 9);

        var before = Signer(("MA01", [oldSecret]));
        var printedLabels = Enumerable.Range(1, 50).Select(n => before.Issue("MA01", "HAT", "BAG", day, n)).ToList();

        var during = Signer(("MA01", [newSecret, oldSecret]));
        var duringVerifier = new SerialCodeVerifier(during);
        Assert.All(printedLabels, code => Assert.Equal(VerificationCheck.Ok, duringVerifier.Check(code).Outcome));

        // New codes are signed with the first (new) secret...
        var newLabels = Enumerable.Range(1, 50).Select(n => during.Issue("MA01", "HAT", "BAG", day, n)).ToList();
        Assert.Equal(newLabels, Enumerable.Range(1, 50).Select(n => Signer(("MA01", [newSecret])).Issue("MA01", "HAT", "BAG", day, n)));
        Assert.True(newLabels.Zip(printedLabels).Count(pair => pair.First != pair.Second) >= 49);

        // ...and once the old secret is removed its labels stop verifying, the new ones keep verifying.
        var after = new SerialCodeVerifier(Signer(("MA01", [newSecret])));
        Assert.All(printedLabels.Where(code => !newLabels.Contains(code)), code => Assert.Equal(VerificationCheck.Signature, after.Check(code).Outcome));
        Assert.All(newLabels, code => Assert.Equal(VerificationCheck.Ok, after.Check(code).Outcome));
    }

    [Fact]
    public void Secrets_bind_from_configuration_and_the_first_one_signs()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Verification:Keys:ma01:0"] = "new-secret-2025-fresh-one",
            ["Verification:Keys:ma01:1"] = Ma01Secret,
            ["Verification:Keys:AB12:0"] = Ab12Secret,
        }).Build();
        using var services = new ServiceCollection().AddSerialCodes(config).BuildServiceProvider();
        var signer = services.GetRequiredService<SerialCodeSigner>();
        var verifier = services.GetRequiredService<SerialCodeVerifier>();

        Assert.True(signer.HasKeys("MA01"));
        Assert.Equal(VerificationCheck.Ok, verifier.Check("MA01-HAT-BAG-20251109-00027-PT2H-2").Outcome); // signed with the second
        Assert.Equal(VerificationCheck.Ok, verifier.Check("AB12-OEM-WIDGET42-20240229-00001-Y69U-T").Outcome);
        var fresh = signer.Issue("MA01", "HAT", "BAG", new DateOnly(2025, 11, 9), 27);
        Assert.NotEqual("MA01-HAT-BAG-20251109-00027-PT2H-2", fresh);
        Assert.Equal(fresh, Signer(("MA01", ["new-secret-2025-fresh-one"])).Issue("MA01", "HAT", "BAG", new DateOnly(2025, 11, 9), 27));
    }

    [Fact]
    public void A_short_secret_is_refused_when_the_options_are_validated_at_start()
    {
        const string shortSecret = "tooshort-XYZ";
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Verification:Keys:MA01:0"] = shortSecret,
        }).Build();
        using var services = new ServiceCollection().AddSerialCodes(config).BuildServiceProvider();
        // What ValidateOnStart runs when the host starts.
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<VerificationKeyOptions>>().Value);
        Assert.Contains("Verification:Keys:MA01:0", error.Message);
        Assert.DoesNotContain(shortSecret, error.Message);
    }

    [Fact]
    public void Secrets_never_appear_in_errors_or_string_forms()
    {
        const string shortSecret = "tooshort-XYZ";
        var error = Assert.Throws<InvalidOperationException>(() => Signer(("MA01", [shortSecret])));
        Assert.DoesNotContain(shortSecret, error.Message);
        Assert.Contains("Verification:Keys:MA01:0", error.Message);

        Assert.Throws<InvalidOperationException>(() => Signer(("MA1", [Ma01Secret])));
        Assert.Throws<InvalidOperationException>(() => Signer(("MA01", ["                    "])));

        var options = new VerificationKeyOptions { Keys = { ["MA01"] = [Ma01Secret] } };
        var signer = new SerialCodeSigner(Options.Create(options));
        var result = new SerialCodeVerifier(signer).Check("MA01-HAT-BAG-20251109-00027-PT2H-2");
        foreach (var text in new[] { options.ToString(), signer.ToString(), result.ToString(), result.Parts!.ToString() })
        {
            Assert.DoesNotContain(Ma01Secret, text ?? "");
        }
    }

    // ---- Issue refuses what it cannot encode ---------------------------------------------------------------------

    [Theory]
    [InlineData("MA1", "HAT", "BAG", 1)]
    [InlineData("MA012", "HAT", "BAG", 1)]
    [InlineData("MA-1", "HAT", "BAG", 1)]
    [InlineData("MA01", "XYZ", "BAG", 1)]
    [InlineData("MA01", "hatthasilpa", "BAG", 1)]
    [InlineData("MA01", "HAT", "B", 1)]
    [InlineData("MA01", "HAT", "ABCDEFGHIJKLM", 1)]
    [InlineData("MA01", "HAT", "BA-G", 1)]
    [InlineData("MA01", "HAT", "BÄG", 1)]
    [InlineData("MA01", "HAT", "", 1)]
    [InlineData("MA01", "HAT", "BAG", 0)]
    [InlineData("MA01", "HAT", "BAG", -1)]
    [InlineData("MA01", "HAT", "BAG", 100_000)]
    [InlineData("QQ77", "HAT", "BAG", 1)] // no secret configured
    public void Issue_refuses_inputs_out_of_format_and_organizations_without_a_secret(string org, string type, string sku, int sequence)
    {
        Assert.Throws<InvalidOperationException>(() => Default.Issue(org, type, sku, new DateOnly(2025, 11, 9), sequence));
    }

    // ---- Normalization and bad input -----------------------------------------------------------------------------

    [Theory]
    [InlineData("ma01-hat-bag-20251109-00027-pt2h-2")]
    [InlineData("  MA01-HAT-BAG-20251109-00027-PT2H-2  ")]
    [InlineData("\tMa01-Hat-Bag-20251109-00027-Pt2h-2\r\n")]
    public void Lower_case_and_surrounding_whitespace_are_normalized(string raw)
    {
        var result = Verifier.Check(raw);
        Assert.Equal(VerificationCheck.Ok, result.Outcome);
        Assert.Equal("MA01-HAT-BAG-20251109-00027-PT2H-2", result.Normalized);
    }

    [Fact]
    public void The_200_character_limit_applies_to_the_raw_input()
    {
        const string code = "MA01-HAT-BAG-20251109-00027-PT2H-2";
        var fits = code.PadLeft(100).PadRight(200);
        Assert.Equal(200, fits.Length);
        Assert.Equal(VerificationCheck.Ok, Verifier.Check(fits).Outcome);
        Assert.Equal(VerificationCheck.Format, Verifier.Check(fits + " ").Outcome);
    }

    /// <summary>A code whose check character is right, so only the part under test can fail.</summary>
    private static string WithCheck(string signed) => $"{signed}-{Iso7064Mod37_36.Compute(signed)}";

    public static TheoryData<string?> BadInputs => new()
    {
        null,
        "",
        "   ",
        new string('A', 201),
        new string('9', 100_000),
        "MA01-HAT-BAG-20251109-00027-PT2H-2" + new string(' ', 170),
        // Non-ASCII: letters, look-alikes (Cyrillic А, dotless ı), fullwidth and Arabic-Indic digits (both match \d
        // in .NET), a long s that ToUpperInvariant turns into a genuine S, a zero-width space.
        "MA01-HAT-BÄG-20251109-00027-PT2H-2",
        "MA01-HAT-B\u0410G-20251109-00027-PT2H-2",
        "MA01-HAT-BAG-2025110\uFF19-00027-PT2H-2",
        "MA01-HAT-BAG-20251109-0002\u0667-PT2H-2",
        "ma01-hat-k\u0131t-20251109-00027-pt2h-2",
        "MA01-HAT-\u017FET-20251109-00027-PT2H-2",
        "MA01-HAT-BAG-20251109-00027-PT2H-2\u200B",
        // URL-encoded tricks and path traversal.
        "%2e%2e%2f",
        "..%2F",
        "..%2f..%2fetc%2fpasswd",
        "%2E%2E/%2E%2E/etc/passwd",
        "MA01%2DHAT%2DBAG%2D20251109%2D00027%2DPT2H%2D2",
        "MA01-HAT-BAG-20251109-00027-PT2H-2%00",
        "../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "MA01-HAT-BAG-20251109-00027-PT2H-2/../../etc/passwd",
        "/MA01-HAT-BAG-20251109-00027-PT2H-2",
        // Control characters, injection-looking text, wrong shapes.
        "MA01-HAT-BAG-20251109-00027-PT2H-2\0",
        "MA01-HAT-BAG-20251109-00027-PT2H-2\nMA01",
        "MA01-HAT-BAG-20251109-00027-PT2H-2'; DROP TABLE serials;--",
        "<script>alert(1)</script>",
        "MA01-HAT-BAG-20251109-00027-PT2H",
        "MA01-HAT-BAG-20251109-00027-PT2H-2-X",
        "MA01-HAT-BAG-20251109-00027-PT2H-22",
        "MA01-XYZ-BAG-20251109-00027-PT2H-2",
        "MA01-HAT-B-20251109-00027-PT2H-2",
        "MA01-HAT-ABCDEFGHIJKLM-20251109-00027-PT2H-2",
        "MA01-HAT-BAG-2025119-00027-PT2H-2",
        "MA01-HAT-BAG-20251109-0027-PT2H-2",
        "MA01-HAT-BAG-20251109-00027-PT2-2",
        "MA01--HAT-BAG-20251109-00027-PT2H-2",
        "MA01 HAT BAG 20251109 00027 PT2H 2",
        "MA01HATBAG2025110900027PT2H2",
        "MA01_HAT_BAG_20251109_00027_PT2H_2",
        // Impossible dates and the never-issued sequence 0, each with a correct check character.
        WithCheck("MA01-HAT-BAG-20251301-00027-PT2H"),
        WithCheck("MA01-HAT-BAG-20250230-00027-PT2H"),
        WithCheck("MA01-HAT-BAG-20230229-00027-PT2H"),
        WithCheck("MA01-HAT-BAG-20251100-00027-PT2H"),
        WithCheck("MA01-HAT-BAG-20250000-00027-PT2H"),
        WithCheck("MA01-HAT-BAG-00000101-00027-PT2H"),
        WithCheck("MA01-HAT-BAG-20251109-00000-PT2H"),
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_fails_the_format_step(string? raw)
    {
        Assert.False(SerialCodeFormat.TryParse(raw, out var parts, out var normalized));
        Assert.Null(parts);
        Assert.Equal("", normalized);
        var result = Verifier.Check(raw);
        Assert.Equal(VerificationCheck.Format, result.Outcome);
        Assert.Null(result.Parts);
        Assert.Null(result.Normalized);
    }

    [Fact]
    public void A_look_alike_that_upper_cases_into_a_genuine_code_is_refused()
    {
        // U+017F LATIN SMALL LETTER LONG S is the one non-ASCII character .NET's invariant upper-casing maps into
        // ASCII ('ſ' → 'S'); the format check must refuse it before normalizing.
        var genuine = Default.Issue("MA01", "HAT", "SET", new DateOnly(2025, 11, 9), 27);
        Assert.Equal(VerificationCheck.Ok, Verifier.Check(genuine).Outcome);
        var lookAlike = genuine.ToLowerInvariant().Replace("-set-", "-\u017Fet-");
        Assert.NotEqual(genuine.ToLowerInvariant(), lookAlike);
        Assert.Equal(genuine, lookAlike.ToUpperInvariant());
        Assert.Equal(VerificationCheck.Format, Verifier.Check(lookAlike).Outcome);
    }

    [Fact]
    public void Leap_days_are_real_dates()
    {
        var code = Default.Issue("MA01", "HAT", "BAG", new DateOnly(2024, 2, 29), 1);
        Assert.Contains("-20240229-", code);
        Assert.Equal(VerificationCheck.Ok, Verifier.Check(code).Outcome);
    }

    // ---- The spec's order ----------------------------------------------------------------------------------------

    [Fact]
    public void Checks_run_in_the_specs_order_format_checksum_signature()
    {
        const string genuine = "MA01-HAT-BAG-20251109-00027-PT2H-2";
        Assert.Equal(VerificationCheck.Ok, Verifier.Check(genuine).Outcome);

        // Wrong check character: reported as a checksum failure even though the signature is right.
        var typo = Verifier.Check("MA01-HAT-BAG-20251109-00027-PT2H-3");
        Assert.Equal(VerificationCheck.Checksum, typo.Outcome);
        Assert.Equal("MA01-HAT-BAG-20251109-00027-PT2H-3", typo.Normalized);

        // Wrong signature and wrong check character: the checksum fails first.
        Assert.Equal(VerificationCheck.Checksum, Verifier.Check("MA01-HAT-BAG-20251109-00027-A9K2-X").Outcome);

        // Right check character, wrong signature.
        Assert.Equal(VerificationCheck.Signature, Verifier.Check(WithCheck("MA01-HAT-BAG-20251109-00027-A9K2")).Outcome);

        // Bad shape: format, whatever else is wrong.
        Assert.Equal(VerificationCheck.Format, Verifier.Check("MA01-HAT-BAG-20251109-00027").Outcome);
    }

    [Fact]
    public void Production_types_map_to_the_long_names_the_public_api_prints()
    {
        Assert.Equal("hatthasilpa", ProductionTypes.ToLongName("HAT"));
        Assert.Equal("oem", ProductionTypes.ToLongName("OEM"));
        Assert.True(ProductionTypes.TryFromLongName("hatthasilpa", out var hat));
        Assert.Equal("HAT", hat);
        Assert.True(ProductionTypes.TryFromLongName("OEM", out var oem));
        Assert.Equal("OEM", oem);
        Assert.False(ProductionTypes.TryFromLongName("HAT", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProductionTypes.ToLongName("XYZ"));

        Assert.True(SerialCodeFormat.TryParse("MA01-HAT-BAG-20251109-00027-PT2H-2", out var parts, out _));
        Assert.Equal("hatthasilpa", parts.ProductionTypeName);
    }
}

public sealed class IssuedCodeTranspositionTests
{
    [Fact]
    public void Codes_the_issuer_keeps_have_every_adjacent_transposition_caught_by_the_check_character()
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var random = new Random(7);
        int kept = 0, skipped = 0;
        for (var n = 0; n < 2000; n++)
        {
            var payload = $"MA01-HAT-BAG-20251109-{n + 1:D5}-{new string(Enumerable.Range(0, 4).Select(_ => alphabet[random.Next(36)]).ToArray())}";
            var code = $"{payload}-{Operator.Features.Verification.Iso7064Mod37_36.Compute(payload)}";
            var chars = code.Where(c => c != '-').ToArray();
            var anyMissed = false;
            for (var i = 0; i + 1 < chars.Length; i++)
            {
                if (chars[i] == chars[i + 1]) continue;
                var swapped = (char[])chars.Clone();
                (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
                anyMissed |= Operator.Features.Verification.Iso7064Mod37_36.IsValid(swapped);
            }
            Assert.Equal(!anyMissed, Operator.Features.Verification.Iso7064Mod37_36.CatchesEveryAdjacentTransposition(code));
            if (anyMissed) skipped++; else kept++;
        }
        // The filter is not vacuous: it keeps most codes and skips some.
        Assert.True(kept > 1800 && skipped > 0, $"kept {kept}, skipped {skipped}");
    }

    /// <summary>
    /// The first SKU (K00000, K00001, ...) whose fixed part "MA01-HAT-{sku}-{date}" holds a swap of two adjacent
    /// characters the check character misses, whatever follows.
    /// </summary>
    public static string SkuWithABlindSpotInItsFixedPart(string date)
    {
        for (var k = 0; ; k++)
        {
            var sku = $"K{k:D5}";
            var payload = $"MA01-HAT-{sku}-{date}-00001-AAAA";
            var chars = $"{payload}-{Operator.Features.Verification.Iso7064Mod37_36.Compute(payload)}".Where(c => c != '-').ToArray();
            var fixedLength = 4 + 3 + sku.Length + 8;
            for (var i = 0; i + 1 < fixedLength; i++)
            {
                if (chars[i] == chars[i + 1]) continue;
                var swapped = (char[])chars.Clone();
                (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
                if (Operator.Features.Verification.Iso7064Mod37_36.IsValid(swapped)) return sku;
            }
        }
    }

    [Fact]
    public void A_blind_spot_in_the_fixed_part_does_not_make_the_issuer_skip_every_code_of_the_sku()
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var sku = SkuWithABlindSpotInItsFixedPart("20241101");
        var fixedLength = 4 + 3 + sku.Length + 8;
        var random = new Random(11);
        int kept = 0, keptBefore = 0;
        for (var n = 1; n <= 300; n++)
        {
            var payload = $"MA01-HAT-{sku}-20241101-{n:D5}-{new string(Enumerable.Range(0, 4).Select(_ => alphabet[random.Next(36)]).ToArray())}";
            var code = $"{payload}-{Operator.Features.Verification.Iso7064Mod37_36.Compute(payload)}";
            // The whole-code rule (what the issuer used to apply) refuses every one of them: the miss is in the fixed part.
            if (Operator.Features.Verification.Iso7064Mod37_36.CatchesEveryAdjacentTransposition(code)) keptBefore++;
            if (!Operator.Features.Serials.SerialNumbering.Keeps(code, "MA01", "HAT", sku)) continue;
            kept++;
            // Every swap within the sequence, signature and check character is still caught by the check character.
            var chars = code.Where(c => c != '-').ToArray();
            for (var i = fixedLength; i + 1 < chars.Length; i++)
            {
                if (chars[i] == chars[i + 1]) continue;
                var swapped = (char[])chars.Clone();
                (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
                Assert.False(Operator.Features.Verification.Iso7064Mod37_36.IsValid(swapped), $"{code}: swap at {i} missed");
            }
        }
        Assert.Equal(0, keptBefore);
        Assert.True(kept > 260, $"kept {kept} of 300");
    }
}

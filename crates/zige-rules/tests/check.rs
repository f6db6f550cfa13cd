//! The rendered decision for typical profiles, in both languages.

use expect_test::{expect, Expect};
use zige_rules::{decide, Lang, Policy, Profile};

fn check(profile_json: &str, lang: Lang, expect: Expect) {
    let profile = Profile::from_json(profile_json).expect("valid profile");
    let decision =
        decide(zige_catalog::default_catalog(), Policy::builtin(), &profile).expect("decidable");
    expect.assert_eq(&decision.render(lang));
}

#[test]
fn uefa_a_licence_holder_aged_67_in_english() {
    check(
        r#"{"entry":"G80","level":"UEFA A licence","age":67,"nationality":"foreign","education":"none","experience_years":30,"beijing_employer":true}"#,
        Lang::En,
        expect![[r#"
            UEFA Coaching Licence (B and above) (G80)
            Checked against catalogue beijing/3.0 and policy beijing/2023

            Result: likely to be recognised (guidance only: the authority decides).
              ✓ “UEFA A licence” read as A. Your level, UEFA A Licence, is at or above UEFA B Licence, the lowest level recognised.
              ✓ The catalogue asks for no minimum work experience for this qualification.

            Professional title: this qualification has no title correspondence.

            What this qualification would bring you:
              ✓ Long-term visa or residence permit: A multiple-entry visa or a residence permit valid for up to five years.
              ✓ Permanent residence channel: If you meet the conditions, you can apply for permanent residence in China through a faster channel.
              ✓ Port visa: You can apply for a visa on arrival at the port visa office of the police exit-entry administration.
              ✓ Overseas experience counts: Your work experience abroad counts the same as work experience in China.
            What it would not bring you, and why:
              ✗ Relaxed work permit: not granted; you are 67, above the age limit of 65 (70 for those working in one of Beijing's high-end industries).
        "#]],
    );
}

#[test]
fn uefa_a_licence_holder_aged_67_in_chinese() {
    check(
        r#"{"entry":"G80","level":"UEFA A licence","age":67,"nationality":"foreign","education":"none","experience_years":30,"beijing_employer":true}"#,
        Lang::Zh,
        expect![[r#"
            足球教练员等级证书 (B级及以上)（G80）
            依据：认可目录 beijing/3.0，服务政策 beijing/2023

            结论：很可能予以认可（仅供参考，以主管部门的决定为准）。
              ✓ “UEFA A licence”按 A 处理。所持级别A级不低于认可的最低级别B级，符合。
              ✓ 目录对该证书没有工作年限要求。

            职称：该证书不对应职称。

            该证书可能为您带来的服务：
              ✓ 长期签证或居留许可：可办理有效期最长五年的多次往返签证或居留许可。
              ✓ 永久居留便利通道：符合条件的，可通过便利通道申请在华永久居留。
              ✓ 口岸签证：可向公安出入境管理部门的口岸签证机关申请口岸签证。
              ✓ 境外从业经历视同境内：境外从业经历视同境内从业经历。
            不能享受的服务及原因：
              ✗ 外国人工作许可放宽：未获得，您67岁，超过65岁的年龄上限（在高精尖产业工作的上限为70岁）。
        "#]],
    );
}

#[test]
fn chinese_acm_distinguished_member() {
    check(
        r#"{"entry":"U4","age":40,"nationality":"chinese","education":"bachelor","experience_years":9,"beijing_employer":true}"#,
        Lang::En,
        expect![[r#"
            ACM Distinguished Member (U4)
            Checked against catalogue beijing/3.0 and policy beijing/2023

            Result: likely to be recognised (guidance only: the authority decides).
              ✓ The catalogue asks for no minimum work experience for this qualification.

            Professional title: corresponds to an associate senior professional title; basic conditions not met.
              ✗ With a bachelor's degree, 10 years of experience are needed; you have 9: not met.

            What this qualification would bring you:
              ✓ Beijing work-residence permit: As a Chinese national you can apply for the Beijing work-residence permit (工作居住证).
              ✓ Overseas experience counts: Your work experience abroad counts the same as work experience in China.
            What it would not bring you, and why:
              ✗ Professional title: not granted; the education and experience conditions of an associate senior professional title are not met.
        "#]],
    );
}

#[test]
fn frm_holder_with_one_year() {
    check(
        r#"{"entry":"G29","age":40,"nationality":"foreign","education":"bachelor","experience_years":1,"beijing_employer":true}"#,
        Lang::En,
        expect![[r#"
            Financial Risk Manager (FRM) (G29)
            Checked against catalogue beijing/3.0 and policy beijing/2023

            Result: not likely to be recognised on what you entered.
              ✗ 2 years of relevant work experience are required; you have 1 year.

            Professional title: this qualification has no title correspondence.

            What this qualification would bring you: nothing.
            What it would not bring you, and why:
              ✗ Relaxed work permit: not granted; the qualification is not recognised (see above).
              ✗ Long-term visa or residence permit: not granted; the qualification is not recognised (see above).
              ✗ Permanent residence channel: not granted; the qualification is not recognised (see above).
              ✗ Port visa: not granted; the qualification is not recognised (see above).
              ✗ Overseas experience counts: not granted; the qualification is not recognised (see above).
        "#]],
    );
}

#[test]
fn frm_holder_with_one_year_in_chinese() {
    check(
        r#"{"entry":"G29","age":40,"nationality":"foreign","education":"bachelor","experience_years":1,"beijing_employer":true}"#,
        Lang::Zh,
        expect![[r#"
            FRM金融风险管理师（G29）
            依据：认可目录 beijing/3.0，服务政策 beijing/2023

            结论：按所填信息，很可能不予认可。
              ✗ 需要2年相关工作经验，您填写的是1年。

            职称：该证书不对应职称。

            该证书可能为您带来的服务：无。
            不能享受的服务及原因：
              ✗ 外国人工作许可放宽：未获得，证书未获认可（见上文）。
              ✗ 长期签证或居留许可：未获得，证书未获认可（见上文）。
              ✗ 永久居留便利通道：未获得，证书未获认可（见上文）。
              ✗ 口岸签证：未获得，证书未获认可（见上文）。
              ✗ 境外从业经历视同境内：未获得，证书未获认可（见上文）。
        "#]],
    );
}

#[test]
fn little_known_answers_what_it_can() {
    check(
        r#"{"entry":"G7"}"#,
        Lang::En,
        expect![[r#"
        Chartered Financial Analyst (CFA) (G7)
        Checked against catalogue beijing/3.0 and policy beijing/2023

        Result: likely to be recognised (guidance only: the authority decides).
          ✓ The catalogue asks for no minimum work experience for this qualification.

        Professional title: corresponds to an intermediate professional title; basic conditions not yet known.
          ? Your education is needed to tell whether the basic conditions of an intermediate professional title are met.

        What this qualification would bring you: nothing.
        Not yet known, until you say more:
          ? Relaxed work permit: cannot be decided yet; needs your nationality, whether you have an employer in Beijing, your age.
          ? Long-term visa or residence permit: cannot be decided yet; needs your nationality, whether you have an employer in Beijing.
          ? Permanent residence channel: cannot be decided yet; needs your nationality, whether you have an employer in Beijing.
          ? Port visa: cannot be decided yet; needs your nationality, whether you have an employer in Beijing.
          ? Beijing work-residence permit: cannot be decided yet; needs your nationality, whether you have an employer in Beijing.
          ? Overseas experience counts: cannot be decided yet; needs whether you have an employer in Beijing.
          ? Professional title: cannot be decided yet; needs whether you have an employer in Beijing, your education.

        To decide the rest, please add: your years of experience (experience_years); your age (age); your nationality (nationality); your education (education); whether you have an employer in Beijing (beijing_employer).
    "#]],
    );
}

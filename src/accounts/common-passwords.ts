// Passwords too common to allow, shipped with the project (no network look-up). Checked case-insensitively,
// and also after stripping digits and symbols from the ends, so "Password2024!" is refused like "password".
const LIST = `
123456 123456789 12345678 1234567890 12345 1234567 qwerty password 111111 123123 abc123 1234 iloveyou
password1 000000 qwerty123 1q2w3e4r 123321 654321 qwertyuiop 1q2w3e4r5t 666666 987654321 123qwe 7777777
1qaz2wsx zaq12wsx qazwsx qazwsxedc 1qaz2wsx3edc 1q2w3e 1q2w3e4r5t6y q1w2e3r4 q1w2e3r4t5 q1w2e3r4t5y6
asdfghjkl asdfgh zxcvbnm zxcvbnm123 asdf1234 qwer1234 password123 password1234 passw0rd p@ssw0rd
p@ssword pa55word pass1234 passwordpassword letmein welcome welcome1 welcome123 admin admin123
administrator root toor changeme changeme123 secret secret123 master monkey dragon shadow sunshine princess
football baseball basketball soccer hockey superman batman trustno1 whatever starwars pokemon minecraft
fortnite computer internet michael jennifer jordan jordan23 liverpool chelsea arsenal manchester
charlie freedom hello hello123 hunter hunter2 killer ninja mustang access flower iloveyou1 loveme
lovely love123 qwerty1 qwerty12 qwerty12345 qwerty123456 123456qwerty 123qweasd 123qweasdzxc
1234qwer 12qwaszx 1qazxsw2 zxcvbn 1111111111 0000000000 2222222222 9999999999 1212121212 123123123
1231231234 0987654321 9876543210 abcdefg abcdefgh abcdefghij aaaaaaaaaa abcd1234 a1b2c3d4 a1b2c3d4e5
google facebook linkedin twitter instagram youtube samsung iphone apple microsoft windows
summer winter spring autumn january february monday sunday
newspaper dateline news reporter editor journalist
letmein123 letmeinplease qwertyui asdfasdf asdfasdfasdf zxczxc zxczxczxc 147258369 159753 159357
741852963 963852741 1qaz2wsx3edc4rfv qweasdzxc qweasd qweqwe qweqweqwe
princess1 sunshine1 football1 baseball1 monkey1 dragon1 shadow1 master1 superman1 batman1
iloveu iloveyou2 i love you ilovemyself myspace1 blink182 password01 password12 password2
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));

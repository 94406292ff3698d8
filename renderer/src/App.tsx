export function App() {
  return (
    <main>
      <h1>PosRecon 收单对账</h1>
      <p>用命令行导入终端、清算和银行流水文件：npx posrecon import 文件…</p>
      <p lang="en">
        Import terminal, settlement and bank statement files from the command line: npx posrecon import FILE…
      </p>
    </main>
  );
}

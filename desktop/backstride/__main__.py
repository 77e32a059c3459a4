from backstride.cli import main

raise SystemExit(main())

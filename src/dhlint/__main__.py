from dhlint.cli import main

raise SystemExit(main())
